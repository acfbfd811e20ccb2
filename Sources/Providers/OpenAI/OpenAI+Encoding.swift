import OrchJSON

extension OpenAIClient {
    /// The Chat Completions body for `request` (wire-formats §1; the dialect picks the field
    /// for the token limit, the structured-output form and whether streams report usage).
    func encode(_ request: ChatRequest, model: String, stream: Bool) -> JSONValue {
        var body: [String: JSONValue] = ["messages": .array(Self.messages(request))]
        if dialect.sendsModel { body["model"] = .string(model) }
        if let temperature = request.temperature { body["temperature"] = .number(temperature) }
        if let limit = request.maxOutputTokens { body[dialect.maxTokensField] = .number(Double(limit)) }
        if let seed = request.seed { body["seed"] = .number(Double(seed)) }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map(Self.tool))
            body["tool_choice"] = Self.toolChoice(request.toolChoice)
        }
        if let format = request.responseFormat { body["response_format"] = responseFormat(format) }
        if stream {
            body["stream"] = true
            if dialect.streamUsage { body["stream_options"] = ["include_usage": true] }
        }
        return .object(body)
    }

    static func messages(_ request: ChatRequest) -> [JSONValue] {
        var messages: [JSONValue] = []
        if let system = request.system { messages.append(["role": "system", "content": .string(system)]) }
        for message in request.messages {
            switch message.role {
            case .user:
                messages.append(["role": "user", "content": .string(message.content)])
            case .assistant where !message.toolCalls.isEmpty:
                messages.append([
                    "role": "assistant",
                    "content": message.content.isEmpty ? .null : .string(message.content),
                    "tool_calls": .array(message.toolCalls.map { call in
                        ["id": .string(call.id), "type": "function",
                         "function": ["name": .string(call.name), "arguments": .string(call.arguments.serialized())]]
                    }),
                ])
            case .assistant:
                messages.append(["role": "assistant", "content": .string(message.content)])
            case .tool:
                messages.append(["role": "tool", "tool_call_id": .string(message.toolCallID ?? ""), "content": .string(message.content)])
            }
        }
        return messages
    }

    static func tool(_ tool: ToolDefinition) -> JSONValue {
        ["type": "function",
         "function": ["name": .string(tool.name), "description": .string(tool.description), "parameters": tool.inputSchema]]
    }

    static func toolChoice(_ choice: ToolChoice) -> JSONValue {
        switch choice {
        case .auto: "auto"
        case .none: "none"
        case .required: "required"
        case .tool(let name): ["type": "function", "function": ["name": .string(name)]]
        }
    }

    func responseFormat(_ format: ResponseFormat) -> JSONValue {
        switch dialect.schemaStyle {
        case .jsonObject:
            return ["type": "json_object", "schema": format.schema]
        case .jsonSchema:
            // `strict` only where OpenAI's strict mode accepts the schema; otherwise the schema
            // still guides the answer, and the caller validates it.
            return ["type": "json_schema",
                    "json_schema": ["name": .string(format.name), "schema": format.schema, "strict": .bool(Self.isStrictCompatible(format.schema))]]
        }
    }

    /// Whether every object in `schema` lists all its properties as required and forbids
    /// others: what OpenAI's strict structured outputs demand.
    static func isStrictCompatible(_ schema: JSONValue) -> Bool {
        switch schema {
        case .object(let members):
            if members["type"] == "object" || members["properties"] != nil {
                let properties = members["properties"]?.objectValue ?? [:]
                let required = Set(members["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                guard members["additionalProperties"] == false, required == Set(properties.keys) else { return false }
            }
            return members.values.allSatisfy(isStrictCompatible)
        case .array(let items):
            return items.allSatisfy(isStrictCompatible)
        default:
            return true
        }
    }
}
