import OrchJSON

extension AnthropicClient {
    /// The tool a structured-output request forces: its input schema is the answer's schema,
    /// so the answer arrives as the tool's `input` object (Anthropic's classic way, which
    /// every model version supports).
    static func structuredOutputTool(_ format: ResponseFormat) -> JSONValue {
        ["name": .string(format.name),
         "description": "Give the answer as this tool's input; it must follow the input schema.",
         "input_schema": format.schema]
    }

    /// The Messages API body for `request` (wire-formats.md §3): `system` at the top level,
    /// `max_tokens` always sent, tool results in `user` turns, and a structured answer asked
    /// for by forcing one tool.
    func body(for request: ChatRequest, stream: Bool) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(request.model ?? model),
            "max_tokens": .number(Double(request.maxOutputTokens ?? defaultMaxTokens)),
            "messages": .array(Self.messages(request.messages)),
        ]
        if let system = request.system, !system.isEmpty { body["system"] = .string(system) }
        if let temperature = request.temperature { body["temperature"] = .number(temperature) }
        var tools = request.tools.map {
            JSONValue.object(["name": .string($0.name), "description": .string($0.description), "input_schema": $0.inputSchema])
        }
        if let format = request.responseFormat {
            tools.append(Self.structuredOutputTool(format))
            body["tool_choice"] = ["type": "tool", "name": .string(format.name)]
        } else if !request.tools.isEmpty {
            body["tool_choice"] = Self.toolChoice(request.toolChoice)
        }
        if !tools.isEmpty { body["tools"] = .array(tools) }
        if stream { body["stream"] = true }
        return .object(body)
    }

    static func toolChoice(_ choice: ToolChoice) -> JSONValue {
        switch choice {
        case .auto: ["type": "auto"]
        case .none: ["type": "none"]
        case .required: ["type": "any"]
        case .tool(let name): ["type": "tool", "name": .string(name)]
        }
    }

    /// Our messages as alternating Anthropic turns: an assistant's tool calls become
    /// `tool_use` blocks, tool results `tool_result` blocks of a `user` turn (consecutive
    /// results share one turn, since roles must alternate).
    static func messages(_ messages: [ChatMessage]) -> [JSONValue] {
        var turns: [(role: String, blocks: [JSONValue])] = []
        for message in messages {
            let role = message.role == .assistant ? "assistant" : "user"
            var blocks: [JSONValue] = []
            switch message.role {
            case .tool:
                blocks.append(["type": "tool_result", "tool_use_id": .string(message.toolCallID ?? ""),
                               "content": .string(message.content)])
            case .user, .assistant:
                if !message.content.isEmpty { blocks.append(["type": "text", "text": .string(message.content)]) }
                for call in message.toolCalls {
                    blocks.append(["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": call.arguments])
                }
            }
            if let last = turns.last, last.role == role, message.role == .tool || last.blocks.contains(where: { $0["type"] == "tool_result" }) {
                turns[turns.count - 1].blocks += blocks
            } else {
                turns.append((role, blocks))
            }
        }
        return turns.map { turn in
            // A lone text block is sent as a plain string, the documented short form.
            if turn.blocks.count == 1, turn.blocks[0]["type"] == "text", let text = turn.blocks[0]["text"] {
                return ["role": .string(turn.role), "content": text]
            }
            return ["role": .string(turn.role), "content": .array(turn.blocks)]
        }
    }
}
