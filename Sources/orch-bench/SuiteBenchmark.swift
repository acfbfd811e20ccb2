import Foundation
import Orchestrator
import OrchEval

/// `orch-bench suite [CASES] [--concurrency N]`: replays CASES cases (default 1,000, the
/// committed suite's cases repeated under new ids) under two golden + rules configurations,
/// then builds the report (statistics included) and renders it. Prints the run and report
/// times; the goal is ≤ 10 s for 1,000 × 2 on 2 cores.
func runSuiteBenchmark(arguments: [String]) async -> Int32 {
    let usage = "USAGE: orch-bench suite [CASES] [--concurrency N]   (run from the package root)"
    if arguments.contains("--help") || arguments.contains("-h") { print(usage); return 0 }
    var count = 1000, concurrency = 4
    var rest = arguments[...]
    while let argument = rest.popFirst() {
        if argument == "--concurrency", let n = rest.popFirst().flatMap(Int.init), n > 0 { concurrency = n }
        else if let n = Int(argument), n > 0 { count = n }
        else { print(usage); return 2 }
    }
    do {
        let committed = try SuiteLoader.load("Fixtures/suites/receipts.json")
        let cases = (0..<count).map { i -> SuiteCase in
            var c = committed.cases[i % committed.cases.count]
            c.id += "-\(i / committed.cases.count)"
            return c
        }
        let configurations = ["rules-a", "rules-b"].map {
            Configuration(name: $0, planner: .golden, workers: WorkerChoice(kind: .rules), ocrMode: "fixture")
        }
        let suite = Suite(name: "bench", configurations: configurations, cases: cases, prices: committed.prices)
        let codeCases = cases.count { c in c.goldenPlan["steps"]?.arrayValue?.contains { $0["tool"] == "code_exec" } == true }
        print("Suite benchmark: \(count) cases (\(codeCases) with code_exec) × 2 configurations, concurrency \(concurrency), \(ProcessInfo.processInfo.activeProcessorCount) CPUs")
        let start = ContinuousClock.now
        let outcome = try await SuiteRunner(suite: suite, options: RunOptions(concurrency: concurrency)).run()
        let ran = ContinuousClock.now
        let report = Report.build(suite, outcome: outcome)
        let built = ContinuousClock.now
        let bytes = try ReportFiles.json(report).count + report.markdown().utf8.count + report.junit.utf8.count + report.costQualitySVG.utf8.count
        let rendered = ContinuousClock.now
        let runSeconds = Double((ran - start).components.attoseconds) / 1e18 + Double((ran - start).components.seconds)
        print(String(format: "run:    %.2f s (%.2f ms per case run, %d runs, %d errors)", runSeconds,
                     runSeconds * 1000 / Double(outcome.results.count), outcome.results.count, outcome.results.count { $0.status == .error }))
        print("report: \(built - ran) to build (statistics), \(rendered - built) to render \(bytes / 1024) KB")
        print("total:  \(rendered - start)")
        await CodeExecTool.sharedSandbox.shutdown()
        return 0
    } catch {
        print("Error: \(error)")
        return 1
    }
}
