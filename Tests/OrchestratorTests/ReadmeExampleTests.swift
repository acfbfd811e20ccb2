import Foundation
import Testing
import Orchestrator
import OrchJSON

/// README's "Adding a function" example, as written there, so the README stays true.
@Suite("README example")
struct ReadmeExampleTests {
    struct TipArguments: FunctionArguments {
        var amount: Double
        var percent: Double
        static let schema: JSONValue = [
            "type": "object", "required": ["amount", "percent"], "additionalProperties": false,
            "properties": ["amount": ["type": "number", "minimum": 0], "percent": ["type": "number", "minimum": 0, "maximum": 100]],
        ]
    }

    @Test("a user-registered function runs in a plan next to the built-in tools")
    func addingAFunction() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("readme-plan-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"request_id": "tip", "steps": [{"id": "tip", "tool": "function_call", "input": {"name": "compute_tip", "args": {"amount": 42.5, "percent": 18}}}]}"#.utf8).write(to: file)

        var functions = FunctionRegistry.builtIns
        try functions.register("compute_tip", description: "Tip on a bill", arguments: TipArguments.self) { args in
            ["tip": .number((args.amount * args.percent).rounded() / 100)]
        }
        var catalog = try StandardTools.catalog(environment: ProcessInfo.processInfo.environment)
        catalog.add(FunctionCallTool(registry: functions))        // replaces the built-in function_call
        let plan = try PlanValidator(catalog: catalog).validate(json: try PlanFile.read(file.path))
        let result = await PlanEngine().run(plan)

        #expect(result.json()["steps"]?["tip"]?["output"] == ["result": ["tip": 7.65]])
    }
}
