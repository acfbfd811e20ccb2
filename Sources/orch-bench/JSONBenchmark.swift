import Foundation
import OrchEvalCLI
import OrchJSON
import Synchronization

/// `orch-bench json [--steps N] [--interactions N] [--runs N]`: the JSON layer on realistic
/// documents, and `orch-eval exec --json` end to end through the entry point the CLI uses.
///
/// Prints the median of `--runs` runs (default 5) of: parsing and serializing the run result
/// of an N-step plan (default 10,000) and an N-interaction cassette (default 10,000, about
/// 14 MB) in MB/s of JSON text, and µs per step of `ExecCommand.run([plan, "--json"])`
/// (read, parse, validate, run, serialize). Targets: ≥ 200 MB/s, ≤ 15 µs per step.
func runJSONBenchmark(arguments: [String]) async -> Int32 {
    var sizes: [String: Int] = ["--steps": 10_000, "--interactions": 10_000, "--runs": 5]
    for flag in sizes.keys {
        guard let at = arguments.firstIndex(of: flag) else { continue }
        guard at + 1 < arguments.count, let n = Int(arguments[at + 1]), n > 0 else {
            print("Error: \(flag) needs a positive whole number")
            return 2
        }
        sizes[flag] = n
    }
    let (steps, interactions, runs) = (sizes["--steps"]!, sizes["--interactions"]!, sizes["--runs"]!)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orch-bench-json-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let planFile = directory.appendingPathComponent("plan.json")
        try benchmarkPlan(steps: steps).serializedData(.pretty).write(to: planFile)
        let cassetteFile = directory.appendingPathComponent("cassette.json")
        try BenchmarkCassette.write(count: interactions, to: cassetteFile)

        print("JSON benchmark (\(ProcessInfo.processInfo.activeProcessorCount) cores), median of \(runs) runs")
        var execTimes: [Duration] = []
        var runResult = ""
        for _ in 0..<runs {
            let output = Mutex(""), errors = Mutex("")
            let io = CommandIO(out: { text in output.withLock { $0 += text } }, err: { text in errors.withLock { $0 += text } })
            var code: Int32 = 0
            execTimes.append(await ContinuousClock().measure { code = await ExecCommand.run([planFile.path, "--json"], io: io) })
            guard code == 0 else {
                print("Error: exec of the benchmark plan exited \(code): \(errors.withLock { $0.prefix(500) })\(output.withLock { $0.prefix(1000) })")
                return 1
            }
            runResult = output.withLock { $0 }
        }
        let documents = [("run result of \(steps) steps", Data(runResult.utf8)),
                         ("cassette of \(interactions) interactions", try Data(contentsOf: cassetteFile))]
        var slowest = Double.infinity
        for (name, data) in documents {
            var value = JSONValue.null
            let parse = median((0..<runs).map { _ in ContinuousClock().measure { value = (try? JSONValue(parsing: data)) ?? .null } })
            guard value != .null else { print("Error: the \(name) did not parse"); return 1 }
            var bytes = 0
            let pretty = median((0..<runs).map { _ in ContinuousClock().measure { bytes = value.serializedData(.pretty).count } })
            let compact = median((0..<runs).map { _ in ContinuousClock().measure { bytes = value.serializedData(.compact).count } })
            let rates = (parse: megabytesPerSecond(data.count, parse), pretty: megabytesPerSecond(data.count, pretty),
                         compact: megabytesPerSecond(bytes, compact))
            slowest = min(slowest, rates.parse, rates.pretty, rates.compact)
            print(String(format: "  %@ (%.1f MB): parse %.0f MB/s, serialize pretty %.0f MB/s, compact %.0f MB/s",
                         name, Double(data.count) / 1e6, rates.parse, rates.pretty, rates.compact))
        }
        let perStep = median(execTimes).milliseconds * 1000 / Double(steps)
        print(String(format: "  exec --json, %d-step plan, end to end: %.1f µs/step (range %@–%@)",
                     steps, perStep, microsPerStep(execTimes.min()!, steps), microsPerStep(execTimes.max()!, steps)))
        print("  targets: parse and serialize ≥ 200 MB/s: \(slowest >= 200 ? "met" : "MISSED"); exec ≤ 15 µs/step: \(perStep <= 15 ? "met" : "MISSED")")
        return 0
    } catch {
        print("Error: JSON benchmark failed: \(error)")
        return 1
    }
}

/// A plan of independent `compute_tax` calls, every tenth depending on the one before
/// through a step reference, so validation resolves references and the result holds outputs.
private func benchmarkPlan(steps: Int) -> JSONValue {
    .object(["request_id": "bench-json", "steps": .array((0..<steps).map { i in
        let amount: JSONValue = i % 10 == 9 ? .string("step:s\(i - 1).result") : .number(Double(i % 500) * 0.25 + 1)
        var step: [String: JSONValue] = ["id": .string("s\(i)"), "tool": "function_call",
                                         "input": ["name": "compute_tax", "args": ["amount": amount, "tax_rate": 0.08]]]
        if i % 10 == 9 { step["depends_on"] = [.string("s\(i - 1)")] }
        return .object(step)
    })])
}

private func megabytesPerSecond(_ bytes: Int, _ time: Duration) -> Double {
    Double(bytes) / 1e6 / (time.milliseconds / 1000)
}
