import Foundation
import OrchJSON

extension AnthropicClient {
    /// A Messages API answer as our response. A structured-output request's forced tool call
    /// becomes the text (its `input`, as compact JSON), not a tool call.
    func decode(_ json: JSONValue, for request: ChatRequest, latency: Latency) throws -> ChatResponse {
        guard json["type"] == "message", let blocks = json["content"]?.arrayValue else {
            throw ProviderError.malformed(provider, expected: "a Messages API answer has \"type\": \"message\" and a \"content\" array", got: json)
        }
        var text = ""
        var calls: [ToolCall] = []
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text": text += block["text"]?.stringValue ?? ""
            case "tool_use":
                guard let id = block["id"]?.stringValue, let name = block["name"]?.stringValue, let input = block["input"], input.objectValue != nil else {
                    throw ProviderError.malformed(provider, expected: "a tool_use block has an id, a name and an object input", got: block)
                }
                calls.append(ToolCall(id: id, name: name, arguments: input))
            default: continue  // thinking, redacted_thinking, server tool blocks: not part of the answer
            }
        }
        var stop = json["stop_reason"]?.stringValue
        if let format = request.responseFormat, let answer = calls.first(where: { $0.name == format.name }) {
            text = answer.arguments.serialized()
            calls.removeAll { $0.name == format.name }
            if stop == "tool_use" { stop = "end_turn" }
        }
        return ChatResponse(text: text, toolCalls: calls, finishReason: Self.finishReason(stop),
                            usage: Self.usage(json["usage"]), model: json["model"]?.stringValue ?? (request.model ?? model),
                            provider: provider, latency: latency)
    }

    static func finishReason(_ stop: String?) -> FinishReason {
        switch stop {
        case "end_turn", "stop_sequence": .stop
        case "max_tokens", "model_context_window_exceeded": .length
        case "tool_use": .toolCalls
        case "refusal": .contentFilter
        default: .other(stop ?? "none")
        }
    }

    /// `input_tokens` excludes cache reads and writes; our input count includes them, with
    /// cache reads as the cached part.
    static func usage(_ usage: JSONValue?) -> TokenUsage? {
        guard let usage, let input = usage["input_tokens"]?.intValue, let output = usage["output_tokens"]?.intValue else { return nil }
        let read = usage["cache_read_input_tokens"]?.intValue ?? 0
        let written = usage["cache_creation_input_tokens"]?.intValue ?? 0
        return TokenUsage(inputTokens: input + read + written, outputTokens: output, cachedInputTokens: read)
    }

}
