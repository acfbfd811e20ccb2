import Testing
import OrchJSON
@testable import Orchestrator

@Suite struct FunctionCallToolTests {
    let tool = FunctionCallTool(registry: .builtIns)
    let context = StepContext(stepID: "step-tax")

    private func toolError(_ input: JSONValue) async -> ToolError? {
        await #expect(throws: ToolError.self) { try await tool.call(input, context: context) }
    }

    @Test func describesItselfAsTheFunctionCallTool() throws {
        #expect(tool.descriptor.name == "function_call")
        #expect(tool.descriptor.kind == .function)
        #expect(tool.descriptor.description.contains("compute_item_statistics"))
        let schema = try JSONSchema(tool.descriptor.inputSchema)
        #expect(schema.accepts(["name": "compute_tax", "args": ["amount": 1]]))
        #expect(schema.violations(of: ["args": [:]]).map(\.description) == ["name: missing (required)"])
    }

    @Test func wrapsTheReturnValueInResultAsTheSeedDoes() async throws {
        let output = try await tool.call(["name": "compute_tax", "args": ["amount": 100.0, "tax_rate": 0.08]], context: context)
        #expect(output.value == ["result": 8.0])
        let filtered = try await tool.call(
            ["name": "filter_items_by_category", "args": ["items": [["category": "food"], ["category": "fuel"]], "category": "fuel"]],
            context: context)
        #expect(filtered.value == ["result": [["category": "fuel"]]])
    }

    @Test func argsMayBeLeftOutForFunctionsWithoutRequiredArguments() async throws {
        var registry = FunctionRegistry()
        try registry.register(name: "now", description: "A fixed clock", schema: ["type": "object"]) { _ in "2024-12-01" }
        let output = try await FunctionCallTool(registry: registry).call(["name": "now"], context: context)
        #expect(output.value == ["result": "2024-12-01"])
    }

    @Test func mapsEachFailureToAToolErrorCode() async {
        let unknown = await toolError(["name": "compute_taxes", "args": [:]])
        #expect(unknown?.code == "unknown_function")
        #expect(unknown?.message.hasPrefix("unknown function 'compute_taxes'; did you mean 'compute_tax'? registered functions: apply_discount") == true)
        #expect(unknown?.retryable == false)

        let schema = await toolError(["name": "compute_tax", "args": ["amount": "abc"]])
        #expect(schema == ToolError(
            code: "bad_arguments", message: #"compute_tax: argument 'amount': expected number, got string "abc""#,
            details: ["function": "compute_tax", "argument": "amount"]))

        let rejected = await toolError(["name": "compute_tax", "args": ["amount": -3]])
        #expect(rejected?.code == "bad_arguments")
        #expect(rejected?.message == "compute_tax: argument 'amount': Amount cannot be negative")

        let noName = await toolError(["args": ["amount": 1]])
        #expect(noName?.code == "bad_arguments")
        #expect(noName?.message == "function_call needs a string 'name' naming the function to call, got none")
    }

    @Test func aFailingFunctionIsFunctionFailed() async throws {
        struct LedgerLocked: Error, CustomStringConvertible { var description: String { "ledger is locked" } }
        var registry = FunctionRegistry()
        try registry.register(name: "post", description: "Posts to the ledger", schema: ["type": "object"]) { _ in throw LedgerLocked() }
        let error = await #expect(throws: ToolError.self) {
            try await FunctionCallTool(registry: registry).call(["name": "post", "args": [:]], context: context)
        }
        #expect(error == ToolError(code: "function_failed", message: "post: ledger is locked", details: ["function": "post"]))
    }

    @Test func cancellationIsNotAFunctionFailure() async throws {
        var registry = FunctionRegistry()
        try registry.register(name: "wait", description: "Waits until cancelled", schema: ["type": "object"]) { _ in
            try await Task.sleep(for: .seconds(3600))
            return nil
        }
        let tool = FunctionCallTool(registry: registry)
        let task = Task { try await tool.call(["name": "wait"], context: context) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
