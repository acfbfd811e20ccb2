import Foundation
import Synchronization
import Testing
@testable import OrchEval
import OrchJSON

@Suite("runner: shards, resume, repeats, unavailable configurations")
struct RunnerTests {
    @Test("two shards merged give the unsharded report, apart from wall clock")
    func shardsMergeToTheWhole() async throws {
        let suite = try arithmeticSuite(cases: 12)
        let scratch = try ScratchFolder()
        let whole = try await SuiteRunner(suite: suite, options: replayOptions(in: scratch)).run()
        var parts: [Report] = []
        for index in 0..<2 {
            let shard = Shard(index: index, count: 2)!
            let outcome = try await SuiteRunner(suite: suite, options: replayOptions(in: scratch) { $0.shard = shard }).run()
            #expect(!outcome.results.isEmpty && outcome.results.count < 12, "shard \(shard) takes a part")
            parts.append(report(of: suite, outcome, shard: shard))
        }
        let merged = try Report.merge(parts)
        #expect(withoutWallClock(merged) == withoutWallClock(report(of: suite, whole)))
        #expect(try ReportFiles.json(withoutWallClock(merged)) == ReportFiles.json(withoutWallClock(report(of: suite, whole))))
    }

    @Test("an interrupted run resumed from its results file equals an uninterrupted run")
    func resumeFinishesTheRest() async throws {
        let suite = try arithmeticSuite(cases: 9)
        let scratch = try ScratchFolder()
        let resultsFile = scratch.url.appendingPathComponent("results.jsonl")
        let whole = try await SuiteRunner(suite: suite, options: replayOptions(in: scratch) { $0.resultsFile = resultsFile }).run()
        // Keep 4 complete lines and half of the fifth, as a killed run leaves the file.
        let lines = try String(contentsOf: resultsFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 9)
        try (lines.prefix(4).joined(separator: "\n") + "\n" + lines[4].prefix(30)).write(to: resultsFile, atomically: true, encoding: .utf8)
        let ran = Counter()
        let resumed = try await SuiteRunner(suite: suite, options: replayOptions(in: scratch) {
            $0.resultsFile = resultsFile
            $0.resume = true
            $0.progress = { _ in ran.add() }
        }).run()
        #expect(ran.value == 5)
        #expect(withoutWallClock(report(of: suite, resumed)) == withoutWallClock(report(of: suite, whole)))
        // The torn fragment costs nothing else: every case's line reads back, so a second
        // resume would run nothing.
        #expect(try ResultsLog(url: resultsFile).read().count == 9)
    }

    @Test("--repeat runs each case N times; trials average per case in the statistics")
    func repeats() async throws {
        let suite = try arithmeticSuite(cases: 3)
        let scratch = try ScratchFolder()
        let outcome = try await SuiteRunner(suite: suite, options: replayOptions(in: scratch) { $0.repeatCount = 3 }).run()
        #expect(outcome.results.count == 9)
        let summary = report(of: suite, outcome).configurations[0]
        #expect(summary.runs == 9 && summary.metrics["quality"]?.n == 3)
        #expect(abs((summary.metrics["quality"]?.mean ?? 0) - 2.0 / 3.0) < 1e-12)  // tax-3 expects a wrong value
    }

    @Test("a model configuration this build cannot make is reported, never faked")
    func unavailableConfiguration() async throws {
        let suite = try arithmeticSuite(cases: 2, configurations: [
            ["name": "rules-only", "planner": "golden", "workers": ["kind": "rules"]],
            ["name": "two-model", "planner": ["provider": "openai-compatible", "model": "q1.5"],
             "workers": ["kind": "small", "model": ["provider": "openai-compatible", "model": "q0.5"]]],
        ])
        let scratch = try ScratchFolder()
        let outcome = try await SuiteRunner(suite: suite, options: replayOptions(in: scratch)).run()
        #expect(outcome.results.allSatisfy { $0.configuration == "rules-only" })
        #expect(outcome.unavailable["two-model"]?.contains("needs a model planner") == true)
        let built = report(of: suite, outcome)
        #expect(built.configurations[1].unavailable != nil && built.configurations[1].runs == 0)
        #expect(built.headline.unavailable?.contains("large-only") == true)
        #expect(built.markdown().contains("Not available: configuration 'large-only' is not in this report"))
    }

    @Test("shards are stable and cover every case exactly once")
    func shardPartition() {
        let ids = (1...50).map { "case-\($0)" }
        let shards = (0..<3).map { Shard(index: $0, count: 3)! }
        for id in ids { #expect(shards.count { $0.contains(id) } == 1) }
        #expect(Shard("2/3") == Shard(index: 1, count: 3))
        #expect(Shard("0/3") == nil && Shard("4/3") == nil)
        #expect(Shard(environment: ["JOB_COMPLETION_INDEX": "2", "JOB_COMPLETION_COUNT": "3"]) == Shard(index: 2, count: 3))
    }
}

/// Counts calls from concurrent tasks.
final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
