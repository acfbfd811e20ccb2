import OrchJSON

/// The `function_call` tool of a plan: input `{"name": "compute_tax", "args": {...}}`,
/// output `{"result": <the function's return value>}` as in the seed.
///
/// Failures are `ToolError`s with code `unknown_function`, `bad_arguments` (the input or
/// the arguments break the schema, or the function rejected a value) or `function_failed`,
/// and `details` `{"function": name, "argument": path}` when known. None is retryable: a
/// function is deterministic, so trying again gives the same answer.
public struct FunctionCallTool: StepTool {
    public let registry: FunctionRegistry
    /// Built once: the engine may read it for every step.
    public let descriptor: ToolDescriptor

    public init(registry: FunctionRegistry = .builtIns) {
        self.registry = registry
        descriptor = ToolDescriptor(
            name: "function_call", kind: .function,
            description: "Calls a registered function with arguments checked against its schema. Functions: "
                + registry.names.joined(separator: ", "),
            inputSchema: Self.inputSchema,
            summary: "Calls the function `name` with `args`. Returns {result}.")
    }

    static let inputSchema: JSONValue = [
        "type": "object",
        "required": ["name"],
        "additionalProperties": false,
        "properties": [
            "name": ["type": "string", "description": "The registered function to call"],
            "args": ["type": "object", "description": "The function's arguments; {} when absent"],
        ],
    ]

    public func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        guard let name = input["name"]?.stringValue else {
            throw ToolError(code: FunctionError.Kind.badArguments.rawValue,
                            message: "function_call needs a string 'name' naming the function to call, got \(input["name"]?.summary ?? "none")")
        }
        let arguments = input["args"] ?? [:]
        do {
            let result = try await registry.call(name, arguments: arguments)
            return ToolOutput(["result": result])  // the step input already names the function
        } catch let error as FunctionError {
            var details: [String: JSONValue] = ["function": .string(error.function)]
            if let argument = error.argument { details["argument"] = .string(argument) }
            throw ToolError(code: error.kind.rawValue, message: error.description, details: .object(details))
        }
    }
}
