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
    /// One short line for a planner's prompt (a small model pays for every prompt token);
    /// nil takes the description's first sentence.
    public var summary: String?

    public init(name: String, kind: ToolKind, description: String, inputSchema: JSONValue = ["type": "object"], summary: String? = nil) {
        self.name = name
        self.kind = kind
        self.description = description
        self.inputSchema = inputSchema
        self.summary = summary
    }

    /// `summary`, or the description up to its first full stop.
    public var shortDescription: String {
        if let summary { return summary }
        guard let stop = description.range(of: ". ") else { return description }
        return String(description[..<stop.lowerBound]) + "."
    }
}
