import OrchJSON

extension GeminiClient {
    /// The `generateContent` body for `request` (wire-formats.md §4): roles `user` and
    /// `model`, the system prompt as `systemInstruction`, options in `generationConfig`,
    /// schemas converted to Gemini's dialect, tool results as `functionResponse` parts of a
    /// `user` turn.
    func body(for request: ChatRequest) -> JSONValue {
        var body: [String: JSONValue] = ["contents": .array(Self.contents(request.messages))]
        if let system = request.system, !system.isEmpty {
            body["systemInstruction"] = ["parts": [["text": .string(system)]]]
        }
        var config: [String: JSONValue] = [:]
        if let temperature = request.temperature { config["temperature"] = .number(temperature) }
        if let maxTokens = request.maxOutputTokens { config["maxOutputTokens"] = .number(Double(maxTokens)) }
        if let seed = request.seed { config["seed"] = .number(Double(seed)) }
        if let format = request.responseFormat {
            config["responseMimeType"] = "application/json"
            config["responseSchema"] = GeminiSchema.convert(format.schema)
        }
        if !config.isEmpty { body["generationConfig"] = .object(config) }
        if !request.tools.isEmpty {
            body["tools"] = [["functionDeclarations": .array(request.tools.map {
                ["name": .string($0.name), "description": .string($0.description),
                 "parameters": GeminiSchema.convert($0.inputSchema)]
            })]]
            body["toolConfig"] = ["functionCallingConfig": Self.callingConfig(request.toolChoice)]
        }
        return .object(body)
    }

    static func callingConfig(_ choice: ToolChoice) -> JSONValue {
        switch choice {
        case .auto: ["mode": "AUTO"]
        case .none: ["mode": "NONE"]
        case .required: ["mode": "ANY"]
        case .tool(let name): ["mode": "ANY", "allowedFunctionNames": [.string(name)]]
        }
    }

    /// Our messages as Gemini contents. A tool result names its function (Gemini matches
    /// results by name), found from the assistant call it answers; its `response` must be an
    /// object, so a result that is not a JSON object is wrapped as `{"result": …}`.
    static func contents(_ messages: [ChatMessage]) -> [JSONValue] {
        var names: [String: String] = [:]
        var contents: [(role: String, parts: [JSONValue])] = []
        for message in messages {
            var parts: [JSONValue] = []
            let role: String
            switch message.role {
            case .user:
                role = "user"
                parts.append(["text": .string(message.content)])
            case .assistant:
                role = "model"
                if !message.content.isEmpty { parts.append(["text": .string(message.content)]) }
                for call in message.toolCalls {
                    names[call.id] = call.name
                    parts.append(["functionCall": ["name": .string(call.name), "args": call.arguments]])
                }
            case .tool:
                role = "user"
                let name = message.toolCallID.flatMap { names[$0] } ?? message.toolCallID ?? ""
                let parsed = try? JSONValue(parsing: message.content)
                var response: JSONValue = ["result": parsed ?? .string(message.content)]
                if let parsed, parsed.objectValue != nil { response = parsed }
                parts.append(["functionResponse": ["name": .string(name), "response": response]])
            }
            // Function responses answering one model turn go together in one user turn.
            if message.role == .tool, let last = contents.last, last.role == "user", last.parts.allSatisfy({ $0["functionResponse"] != nil }) {
                contents[contents.count - 1].parts += parts
            } else {
                contents.append((role, parts))
            }
        }
        return contents.map { ["role": .string($0.role), "parts": .array($0.parts)] }
    }
}
