import OrchJSON

extension OllamaClient {
    /// The `/api/chat` body for `request` (wire-formats.md §5). `stream` is always sent,
    /// since Ollama streams when it is absent; `format` carries the answer's JSON Schema;
    /// temperature, output limit and seed go in `options`.
    ///
    /// Ollama has no `tool_choice`: `.none` sends no tools, `.tool(name)` sends only that
    /// tool, and `.required` cannot be enforced (the tools are offered as with `.auto`).
    func body(for request: ChatRequest, stream: Bool) -> JSONValue {
        var messages: [JSONValue] = []
        if let system = request.system, !system.isEmpty {
            messages.append(["role": "system", "content": .string(system)])
        }
        messages += Self.messages(request.messages)
        var body: [String: JSONValue] = [
            "model": .string(request.model ?? model),
            "messages": .array(messages),
            "stream": .bool(stream),
        ]
        if let format = request.responseFormat { body["format"] = format.schema }
        var options: [String: JSONValue] = [:]
        if let temperature = request.temperature { options["temperature"] = .number(temperature) }
        if let maxTokens = request.maxOutputTokens { options["num_predict"] = .number(Double(maxTokens)) }
        if let seed = request.seed { options["seed"] = .number(Double(seed)) }
        if !options.isEmpty { body["options"] = .object(options) }
        let offered: [ToolDefinition] = switch request.toolChoice {
        case .none: []
        case .tool(let name): request.tools.filter { $0.name == name }
        case .auto, .required: request.tools
        }
        if !offered.isEmpty {
            body["tools"] = .array(offered.map {
                ["type": "function", "function": ["name": .string($0.name), "description": .string($0.description), "parameters": $0.inputSchema]]
            })
        }
        return .object(body)
    }

    /// Tool calls carry object arguments; a tool result names its function (`tool_name`),
    /// found from the assistant call it answers, and keeps the call id.
    static func messages(_ messages: [ChatMessage]) -> [JSONValue] {
        var names: [String: String] = [:]
        return messages.map { message in
            var out: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": .string(message.content)]
            if !message.toolCalls.isEmpty {
                out["tool_calls"] = .array(message.toolCalls.map { call in
                    names[call.id] = call.name
                    return ["function": ["name": .string(call.name), "arguments": call.arguments]]
                })
            }
            if message.role == .tool, let id = message.toolCallID {
                out["tool_call_id"] = .string(id)
                if let name = names[id] { out["tool_name"] = .string(name) }
            }
            return .object(out)
        }
    }
}
