import MCP
import OrchJSON

/// What `orch-eval mcp serve` offers: the receipt workers and each registered function as an
/// MCP tool, with input and output schemas; results carry `structuredContent` (an object:
/// a function's value is `{"result": …}`, as `function_call` steps give it) and its text.
/// A worker's or function's failure is an `isError` result with its message.
public struct ServedTools: MCPToolProvider {
    struct Entry: Sendable {
        var info: MCPToolInfo
        var run: @Sendable (JSONValue) async throws -> JSONValue
    }
    private let entries: [String: Entry]
    public let tools: [MCPToolInfo]

    init(_ entries: [Entry]) {
        self.entries = Dictionary(entries.map { ($0.info.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.tools = entries.map(\.info)
    }

    /// The three receipt workers (OCR as `OCR_MODE` says) and the functions of `registry`.
    public static func standard(environment: [String: String], registry: FunctionRegistry = .builtIns) throws(ToolError) -> ServedTools {
        var entries: [Entry] = []
        for tool in try ReceiptWorkerTools.all(environment: environment) {
            let info = MCPToolInfo(name: tool.descriptor.name, description: tool.descriptor.description,
                                   inputSchema: tool.descriptor.inputSchema, outputSchema: outputSchemas[tool.descriptor.name])
            entries.append(Entry(info: info) { input in
                try await tool.call(input, context: StepContext(stepID: "mcp:\(info.name)")).value
            })
        }
        let functions = FunctionCallTool(registry: registry)
        for function in registry.descriptors {
            let info = MCPToolInfo(name: function.name, description: function.description, inputSchema: function.schema,
                                   outputSchema: ["type": "object", "properties": ["result": [:]], "required": ["result"]])
            entries.append(Entry(info: info) { input in
                try await functions.call(["name": .string(function.name), "args": input], context: StepContext(stepID: "mcp:\(function.name)")).value
            })
        }
        return ServedTools(entries)
    }

    public func call(_ name: String, arguments: JSONValue) async -> MCPToolResult? {
        guard let entry = entries[name] else { return nil }
        do {
            var value = try await entry.run(arguments)
            if value.objectValue == nil { value = ["result": value] }
            return MCPToolResult(content: [["type": "text", "text": .string(value.serialized())]], structuredContent: value)
        } catch let error as ToolError {
            return MCPToolResult(content: [["type": "text", "text": .string(error.description)]], isError: true)
        } catch {
            return MCPToolResult(content: [["type": "text", "text": .string("\(error)")]], isError: true)
        }
    }

    /// The receipt workers' output shapes (docs/receipts.md).
    static let outputSchemas: [String: JSONValue] = [
        "receipt_ocr": [
            "type": "object", "required": ["text", "confidence"],
            "properties": ["text": ["type": "string"], "confidence": ["type": "number"]],
        ],
        "line_item_parser": [
            "type": "object", "required": ["items"],
            "properties": [
                "items": ["type": "array", "items": [
                    "type": "object", "required": ["description"],
                    "properties": ["description": ["type": "string"], "quantity": ["type": ["number", "null"]],
                                   "unit_price": ["type": ["number", "null"]], "total": ["type": ["number", "null"]]],
                ]],
                "subtotal": ["type": ["number", "null"]], "tax": ["type": ["number", "null"]], "total": ["type": ["number", "null"]],
            ],
        ],
        "expense_categorizer": [
            "type": "object", "required": ["categorized"],
            "properties": ["categorized": ["type": "array", "items": [
                "type": "object", "required": ["category"], "properties": ["category": ["type": "string"]],
            ]]],
        ],
    ]
}
