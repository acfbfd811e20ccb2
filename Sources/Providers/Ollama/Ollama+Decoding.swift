import OrchJSON

extension OllamaClient {
    /// One `/api/chat` object: the whole answer, or one NDJSON line of a stream.
    struct Line {
        var text: String
        var calls: [ToolCall]
        var done: Bool
        var doneReason: String?
        var usage: TokenUsage?
        var model: String?
        /// The server's own timing (its `*_duration` fields are nanoseconds).
        var serverLatency: Latency?
    }

    func line(_ json: JSONValue, callOffset: Int = 0) throws -> Line {
        if let error = json["error"]?.stringValue {
            throw ProviderError(.server, provider: provider, "Ollama reported an error: \(error)")
        }
        guard let done = json["done"]?.boolValue else { throw ProviderError.malformed(provider, expected: "an /api/chat object has \"done\"", got: json) }
        let message = json["message"]
        var calls: [ToolCall] = []
        for (index, call) in (message?["tool_calls"]?.arrayValue ?? []).enumerated() {
            guard let name = call["function"]?["name"]?.stringValue else { throw ProviderError.malformed(provider, expected: "a tool call has function.name", got: call) }
            var arguments = call["function"]?["arguments"] ?? [:]
            // Documented as an object; a string holding JSON is tolerated.
            if let text = arguments.stringValue, let parsed = try? JSONValue(parsing: text) { arguments = parsed }
            guard arguments.objectValue != nil else { throw ProviderError.malformed(provider, expected: "function.arguments is an object", got: call) }
            let id = call["id"]?.stringValue ?? "call_\(callOffset + index)"
            calls.append(ToolCall(id: id, name: name, arguments: arguments))
        }
        var usage: TokenUsage?
        if let input = json["prompt_eval_count"]?.intValue, let output = json["eval_count"]?.intValue {
            usage = TokenUsage(inputTokens: input, outputTokens: output)
        }
        return Line(text: message?["content"]?.stringValue ?? "", calls: calls, done: done,
                    doneReason: json["done_reason"]?.stringValue, usage: usage,
                    model: json["model"]?.stringValue, serverLatency: Self.serverLatency(json))
    }

    /// `total_duration` as the total and load + prompt evaluation as the time to the first
    /// token, nanoseconds to milliseconds: the model's own timing, without HTTP overhead.
    static func serverLatency(_ json: JSONValue) -> Latency? {
        guard let total = json["total_duration"]?.doubleValue else { return nil }
        let first = (json["load_duration"]?.doubleValue ?? 0) + (json["prompt_eval_duration"]?.doubleValue ?? 0)
        return Latency(firstByteMilliseconds: first > 0 ? first / 1e6 : nil, totalMilliseconds: total / 1e6)
    }

    static func finishReason(_ reason: String?, calls: [ToolCall]) -> FinishReason {
        switch reason {
        case "stop": calls.isEmpty ? .stop : .toolCalls
        case "length": .length
        case let other?: .other(other)
        case nil: .other("none")
        }
    }

}
