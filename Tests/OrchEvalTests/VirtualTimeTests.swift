import Cassettes
import Orchestrator
import OrchJSON
import Testing
@testable import OrchEval

/// A worker whose "exchange" replays `ms` of recorded latency, as a model worker's cassette does.
struct ReplayingTool: StepTool {
    let descriptor = ToolDescriptor(name: "replay", kind: .function, description: "Replays input.ms of recorded latency")
    func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        VirtualClock().advance(byMs: input["ms"]?.doubleValue ?? 0)
        return ToolOutput(["done": true])
    }
}

/// Runs the golden plan on `ReplayingTool`s, measured.
struct ReplayingFactory: ConfigurationFactory {
    func executor(for configuration: Configuration, suite: Suite) throws -> any CaseExecutor { Executor() }
    struct Executor: CaseExecutor {
        func execute(_ suiteCase: SuiteCase, context: CaseContext) async throws -> CaseExecution {
            let validated = try PlanValidator(catalog: MeasuredTool.measuring(ToolCatalog([ReplayingTool()]))).validate(json: suiteCase.goldenPlan)
            return CaseExecution(plan: suiteCase.goldenPlan, validated: validated, run: await PlanEngine().run(validated), plannerVirtualMs: 5)
        }
    }
}

@Suite("virtual time")
struct VirtualTimeTests {
    @Test("virtual time is planner + the critical path over each step's replayed latency")
    func criticalPath() async throws {
        // a (30 ms) and b (50 ms) run in parallel, c (20 ms) after both: path 50 + 20 = 70, plus 5 planning.
        let plan: JSONValue = ["request_id": "v", "steps": [
            ["id": "a", "tool": "replay", "input": ["ms": 30]],
            ["id": "b", "tool": "replay", "input": ["ms": 50]],
            ["id": "c", "tool": "replay", "input": ["ms": 20], "depends_on": ["a", "b"]],
        ]]
        let suite = try SuiteLoader.decode(["format_version": 1, "name": "v",
                                            "configurations": [["name": "m", "planner": "golden", "workers": ["kind": "rules"]]],
                                            "cases": [["id": "v1", "request": "r", "golden_plan": plan]]], file: "v.json")
        let scratch = try ScratchFolder()
        let outcome = try await SuiteRunner(suite: suite, factory: ReplayingFactory(), options: replayOptions(in: scratch)).run()
        let result = try #require(outcome.results.first)
        #expect(result.virtualMs == 75)
        #expect(result.stepVirtualMs == ["a": 30, "b": 50, "c": 20])
    }
}
