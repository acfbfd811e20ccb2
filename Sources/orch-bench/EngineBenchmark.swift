import Foundation
import Orchestrator
import OrchJSON

/// `orch-bench engine`: the engine's own cost per step, and how close its schedule comes to
/// the critical path. Figures are printed, never asserted.
func runEngineBenchmark(arguments: [String]) async -> Int32 {
    let size = arguments.first.flatMap(Int.init) ?? 10_000
    print("Engine benchmark (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
    print("Per-step cost, median (and range) of 9 runs (engine alone: a no-op tool; with function_call: a no-op registered function):")
    var registry = FunctionRegistry()
    do {
        try registry.register(name: "noop", description: "Does nothing", schema: ["type": "object"]) { _ in .null }
    } catch {
        print("could not register the no-op function: \(error)")
        return 1
    }
    let catalog = ToolCatalog([FunctionCallTool(registry: registry), NoOpTool()])
    for (shape, tool) in [(PlanShape.wide, "noop"), (.chain, "noop"), (.wide, "function_call"), (.chain, "function_call")] {
        let plan = shape.plan(size: size, tool: tool)
        let clock = ContinuousClock()
        var validateTimes: [Duration] = []
        var runTimes: [Duration] = []
        for _ in 0..<9 {
            var validated: ValidatedPlan?
            validateTimes.append(clock.measure { validated = try? PlanValidator(catalog: catalog).validate(plan) })
            guard let validated else { print("  \(shape): the plan did not validate"); return 1 }
            var status = RunResult.Status.failed
            runTimes.append(await clock.measure { status = await PlanEngine().run(validated).status })
            guard status == .succeeded else { print("  \(shape): the run did not succeed"); return 1 }
        }
        print("  \(shape) \(size) steps, \(tool == "noop" ? "engine alone " : "function_call"): run \(microsPerStep(median(runTimes), size)) µs/step (\(microsPerStep(runTimes.min()!, size))–\(microsPerStep(runTimes.max()!, size))), validate \(microsPerStep(median(validateTimes), size)) µs/step")
    }

    print("Makespan ÷ critical path, steps sleep for set times:")
    var generator = SplitMix64(seed: 42)
    let cases: [(String, Plan, [Duration])] = [
        PlanShape.alternatingChains(length: 10),
        PlanShape.randomDAG(steps: 60, edgeProbability: 0.08, generator: &generator),
        PlanShape.randomDAG(steps: 120, edgeProbability: 0.04, generator: &generator),
    ]
    for (name, plan, durations) in cases {
        guard let validated = try? PlanValidator(catalog: ToolCatalog([SleepTool()])).validate(plan) else { return 1 }
        let critical = validated.criticalPath { durations[$0] }
        let result = await PlanEngine().run(validated)
        let makespan = result.endedAt.timeIntervalSince(result.startedAt)
        print(String(format: "  %@: critical path %.1f ms, makespan %.1f ms, ratio %.3f", name,
                     critical.milliseconds, makespan * 1000, makespan * 1000 / critical.milliseconds))
    }
    return 0
}

private enum PlanShape: CustomStringConvertible {
    case wide, chain

    var description: String { self == .wide ? "wide " : "chain" }

    func plan(size: Int, tool: String) -> Plan {
        Plan(requestID: "bench", steps: (0..<size).map { i in
            PlanStep(id: "s\(i)", tool: tool, input: ["name": "noop", "args": ["i": .number(Double(i))]],
                     dependsOn: self == .chain && i > 0 ? ["s\(i - 1)"] : [])
        })
    }

    /// The seed's weak case: two independent chains whose steps alternate 50 ms and 5 ms, out of phase.
    static func alternatingChains(length: Int) -> (String, Plan, [Duration]) {
        var steps: [PlanStep] = []
        var durations: [Duration] = []
        for chain in 0..<2 {
            for i in 0..<length {
                let ms = (i + chain) % 2 == 0 ? 50 : 5
                steps.append(PlanStep(id: "c\(chain)-\(i)", tool: "sleep", input: ["ms": .number(Double(ms))], dependsOn: i > 0 ? ["c\(chain)-\(i - 1)"] : []))
                durations.append(.milliseconds(ms))
            }
        }
        return ("2 chains of \(length) alternating 50/5 ms steps", Plan(requestID: "chains", steps: steps), durations)
    }

    static func randomDAG(steps count: Int, edgeProbability: Double, generator: inout SplitMix64) -> (String, Plan, [Duration]) {
        var steps: [PlanStep] = []
        var durations: [Duration] = []
        for i in 0..<count {
            let ms = Int.random(in: 1...40, using: &generator)
            let deps = (0..<i).filter { _ in Double.random(in: 0..<1, using: &generator) < edgeProbability }.map { "s\($0)" }
            steps.append(PlanStep(id: "s\(i)", tool: "sleep", input: ["ms": .number(Double(ms))], dependsOn: deps))
            durations.append(.milliseconds(ms))
        }
        return ("random DAG, \(count) steps of 1-40 ms", Plan(requestID: "dag", steps: steps), durations)
    }
}

private struct NoOpTool: StepTool {
    let descriptor = ToolDescriptor(name: "noop", kind: .function, description: "Does nothing")
    func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput { ToolOutput(.null) }
}

private struct SleepTool: StepTool {
    let descriptor = ToolDescriptor(name: "sleep", kind: .function, description: "Sleeps for input.ms")
    func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        try await Task.sleep(for: .milliseconds(input["ms"]?.intValue ?? 0))
        return ToolOutput(.null)
    }
}

func median(_ values: [Duration]) -> Duration { values.sorted()[values.count / 2] }

func microsPerStep(_ total: Duration, _ steps: Int) -> String {
    String(format: "%.2f", total.milliseconds * 1000 / Double(steps))
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
