import Foundation
import OrchJSON
import Orchestrator
import Sandbox

/// `orch-bench sandbox`: per-call latency of the code_exec sandbox warm (pool of fork servers)
/// and cold (a new Python fork server per call), and the wall time of 200 independent
/// code_exec steps submitted at once.
func runSandboxBenchmark(arguments: [String]) async -> Int32 {
    if arguments.contains("--help") || arguments.contains("-h") {
        print(SandboxBenchmarkOptions.usage)
        return 0
    }
    guard let options = SandboxBenchmarkOptions(arguments) else {
        print(SandboxBenchmarkOptions.usage)
        return 2
    }
    let job = SandboxJob(code: "output = {'total': sum(input['values'])}", input: ["values": [10, 20, 30]])
    let configuration = SandboxConfiguration(poolSize: options.poolSize)
    let sandbox = PythonSandbox(configuration: configuration)
    do {
        try await sandbox.warmUp()
        let layers = try await sandbox.activeLayers()
        print("Sandbox benchmark — Python \(layers.pythonVersion), pool \(options.poolSize), \(ProcessInfo.processInfo.activeProcessorCount) CPUs")
        print("Active layers: \(layers.activeLayers.map(\.rawValue).joined(separator: ", "))")

        for _ in 0..<20 { _ = try await sandbox.run(job) }
        var warm: [Duration] = []
        for _ in 0..<options.warmCalls {
            let start = ContinuousClock.now
            _ = try await sandbox.run(job)
            warm.append(ContinuousClock.now - start)
        }
        report("warm (pooled fork server)", warm)

        var cold: [Duration] = []
        for _ in 0..<options.coldCalls {
            let start = ContinuousClock.now
            let fresh = PythonSandbox(configuration: SandboxConfiguration(poolSize: 1))
            _ = try await fresh.run(job)
            cold.append(ContinuousClock.now - start)
            await fresh.shutdown()
        }
        report("cold (new python3 per call)", cold)

        // A plan of independent code_exec steps through the engine, bounded by the pool.
        let steps = (0..<options.parallelSteps).map { index in
            PlanStep(id: "step\(index)", tool: "code_exec", input: ["code": .string(job.code), "input_data": job.input])
        }
        let plan = try PlanValidator(catalog: ToolCatalog([CodeExecTool(sandbox: sandbox)]))
            .validate(Plan(requestID: "sandbox-bench", steps: steps))
        let result = await PlanEngine().run(plan)
        let wall = result.endedAt.timeIntervalSince(result.startedAt)
        let succeeded = result.steps.filter { $0.output == ["output": ["total": 60]] }.count
        print(String(format: "%-30@ %d steps in %.1f ms wall (%.0f steps/s), %d correct",
                     "plan of independent code_exec steps" as NSString, options.parallelSteps, wall * 1000,
                     Double(options.parallelSteps) / max(wall, 1e-9), succeeded))
        await sandbox.shutdown()
        return succeeded == options.parallelSteps ? 0 : 1
    } catch {
        print("sandbox benchmark failed: \(error)")
        return 1
    }
}

private struct SandboxBenchmarkOptions {
    var warmCalls = 500
    var coldCalls = 30
    var parallelSteps = 200
    var poolSize = SandboxConfiguration.defaultPoolSize

    static let usage = """
        USAGE: orch-bench sandbox [--warm N] [--cold N] [--parallel N] [--pool N]
          --warm N      sequential calls on the warm pool (default 500)
          --cold N      calls that each start a new python3 fork server (default 30)
          --parallel N  independent code_exec steps in one plan (default 200)
          --pool N      fork servers in the pool (default \(SandboxConfiguration.defaultPoolSize))
        """

    init?(_ arguments: [String]) {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            guard let text = remaining.popFirst(), let value = Int(text), value > 0 else { return nil }
            switch flag {
            case "--warm": warmCalls = value
            case "--cold": coldCalls = value
            case "--parallel": parallelSteps = value
            case "--pool": poolSize = value
            default: return nil
            }
        }
    }
}

private func report(_ label: String, _ samples: [Duration]) {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return }
    let p50 = sorted[(sorted.count - 1) / 2]
    let p95 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
    print(String(format: "%-30@ p50 %7.2f ms   p95 %7.2f ms   (%d calls)",
                 label as NSString, milliseconds(p50), milliseconds(p95), sorted.count))
}

private func milliseconds(_ duration: Duration) -> Double {
    duration.secondsValue * 1000
}

extension Duration {
    fileprivate var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
