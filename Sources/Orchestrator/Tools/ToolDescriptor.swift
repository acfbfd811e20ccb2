import OrchJSON

/// The three tool kinds of a plan (DESIGN.md §3 "Tools").
public enum ToolKind: String, Sendable, Codable, CaseIterable {
    case mcp
    case function
    case codeExec = "code_exec"
}

/// A tool's name, kind, description and the JSON Schema its input must satisfy.
public struct ToolDescriptor: Sendable, Equatable {
    public var name: String
    public var kind: ToolKind
    public var description: String
    public var inputSchema: JSONValue

    public init(name: String, kind: ToolKind, description: String, inputSchema: JSONValue = ["type": "object"]) {
        self.name = name
        self.kind = kind
        self.description = description
        self.inputSchema = inputSchema
    }
}
