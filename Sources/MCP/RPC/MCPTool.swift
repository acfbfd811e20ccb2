import OrchJSON

/// A tool as `tools/list` describes it.
public struct MCPToolInfo: Sendable, Equatable {
    public var name: String
    public var title: String?
    public var description: String
    /// JSON Schema of the arguments (an object schema).
    public var inputSchema: JSONValue
    public var outputSchema: JSONValue?

    public init(name: String, title: String? = nil, description: String, inputSchema: JSONValue, outputSchema: JSONValue? = nil) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
    }

    init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, !name.isEmpty, let schema = json["inputSchema"], schema.objectValue != nil else { return nil }
        self.init(name: name, title: json["title"]?.stringValue, description: json["description"]?.stringValue ?? "",
                  inputSchema: schema, outputSchema: json["outputSchema"].flatMap { $0.objectValue != nil ? $0 : nil })
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = ["name": .string(name), "description": .string(description), "inputSchema": inputSchema]
        if let title { object["title"] = .string(title) }
        if let outputSchema { object["outputSchema"] = outputSchema }
        return .object(object)
    }
}

/// What `tools/call` returns: content items (`text`, `image`, …), optional structured
/// content, and whether the tool failed (a failure is a result, not a JSON-RPC error).
public struct MCPToolResult: Sendable, Equatable {
    public var content: [JSONValue]
    public var structuredContent: JSONValue?
    public var isError: Bool

    public init(content: [JSONValue], structuredContent: JSONValue? = nil, isError: Bool = false) {
        self.content = content
        self.structuredContent = structuredContent
        self.isError = isError
    }

    init?(json: JSONValue) {
        guard let content = json["content"]?.arrayValue else { return nil }
        let structured = json["structuredContent"]
        self.init(content: content, structuredContent: structured == .null ? nil : structured,
                  isError: json["isError"]?.boolValue ?? false)
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = ["content": .array(content), "isError": .bool(isError)]
        if let structuredContent { object["structuredContent"] = structuredContent }
        return .object(object)
    }

    /// The text of the `text` items, joined by newlines (what a failed tool says).
    public var text: String {
        content.compactMap { $0["type"] == "text" ? $0["text"]?.stringValue : nil }.joined(separator: "\n")
    }

    /// The result as one JSON value: `structuredContent` when present; else the content, a
    /// text item read as JSON when it is JSON (else kept as a string), other items as they
    /// came (an image stays `{"type":"image","data":…,"mimeType":…}`); a single item alone.
    public var value: JSONValue {
        if let structuredContent { return structuredContent }
        let items: [JSONValue] = content.map { item in
            guard item["type"] == "text", let text = item["text"]?.stringValue else { return item }
            return (try? JSONValue(parsing: text)) ?? .string(text)
        }
        return items.count == 1 ? items[0] : .array(items)
    }
}
