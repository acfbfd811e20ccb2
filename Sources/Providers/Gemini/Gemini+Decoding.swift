import OrchJSON

extension GeminiClient {
    /// What one `GenerateContentResponse` (a whole answer, or one stream chunk) holds.
    struct Chunk {
        var text = ""
        var calls: [ToolCall] = []
        var finishReason: String?
        var usage: TokenUsage?
        var model: String?
    }

    /// Reads one response object. A prompt blocked by the safety filters (no candidates,
    /// `promptFeedback.blockReason`) is a `.contentFiltered` error; a chunk with only
    /// `usageMetadata` (thinking models send them) is an empty chunk.
    func chunk(_ json: JSONValue, callOffset: Int = 0) throws -> Chunk {
        var chunk = Chunk(usage: Self.usage(json["usageMetadata"]), model: json["modelVersion"]?.stringValue)
        guard let candidate = json["candidates"]?.arrayValue?.first else {
            if let reason = json["promptFeedback"]?["blockReason"]?.stringValue {
                throw ProviderError(.contentFiltered, provider: provider,
                                  "Gemini blocked the prompt (promptFeedback.blockReason \(reason)); rephrase it or adjust safetySettings")
            }
            guard json["usageMetadata"] != nil || json["candidates"] != nil else {
                throw ProviderError.malformed(provider, expected: "a GenerateContentResponse has candidates or usageMetadata", got: json)
            }
            return chunk
        }
        chunk.finishReason = candidate["finishReason"]?.stringValue
        for part in candidate["content"]?["parts"]?.arrayValue ?? [] {
            if part["thought"] == true { continue }  // thought summaries are not the answer
            if let text = part["text"]?.stringValue { chunk.text += text }
            if let call = part["functionCall"] {
                guard let name = call["name"]?.stringValue else { throw ProviderError.malformed(provider, expected: "a functionCall has a name", got: part) }
                let args = call["args"] ?? [:]
                guard args.objectValue != nil else { throw ProviderError.malformed(provider, expected: "functionCall.args is an object", got: part) }
                // `id` is optional on the Gemini API; number the calls so each has one.
                let id = call["id"]?.stringValue ?? "call_\(callOffset + chunk.calls.count)"
                chunk.calls.append(ToolCall(id: id, name: name, arguments: args))
            }
        }
        return chunk
    }

    /// Finish reasons of the safety family: a candidate stopped by them and holding nothing
    /// is a `.contentFiltered` error.
    static let filtered: Set<String> = ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"]

    /// The assembled answer. `finishReason` stays `STOP` when Gemini calls functions, so a
    /// stop with calls is reported as `.toolCalls`.
    func response(text: String, calls: [ToolCall], finish: String?, usage: TokenUsage?, model reported: String?,
                  request: ChatRequest, latency: Latency) throws -> ChatResponse {
        if let finish, Self.filtered.contains(finish), text.isEmpty, calls.isEmpty {
            throw ProviderError(.contentFiltered, provider: provider,
                                "Gemini stopped the answer with finishReason \(finish) before it said anything")
        }
        let reason: FinishReason = switch finish {
        case "STOP": calls.isEmpty ? .stop : .toolCalls
        case "MAX_TOKENS": .length
        case let other? where Self.filtered.contains(other): .contentFilter
        case let other?: .other(other)
        case nil: .other("none")
        }
        return ChatResponse(text: text, toolCalls: calls, finishReason: reason, usage: usage,
                            model: reported ?? (request.model ?? model), provider: provider, latency: latency)
    }

    /// Output counts the thinking tokens too (`thoughtsTokenCount` is billed as output but
    /// not included in `candidatesTokenCount`); fields are omitted, not zeroed, when absent.
    static func usage(_ metadata: JSONValue?) -> TokenUsage? {
        guard let metadata, let prompt = metadata["promptTokenCount"]?.intValue else { return nil }
        let output = (metadata["candidatesTokenCount"]?.intValue ?? 0) + (metadata["thoughtsTokenCount"]?.intValue ?? 0)
        return TokenUsage(inputTokens: prompt, outputTokens: output, cachedInputTokens: metadata["cachedContentTokenCount"]?.intValue ?? 0)
    }

}
