import OrchJSON

/// Turns `chat.completion.chunk` events into deltas and assembles the final response
/// (wire-formats §1 streaming; Azure's first chunk with empty `choices`, §2; usage in a last
/// chunk with `choices: []`; `data: [DONE]` ends the stream).
struct OpenAIStreamDecoder {
    let provider: String
    private(set) var isDone = false
    private var text = ""
    private var refusal = ""
    private var tools = ToolCallAssembler()
    private var finish: FinishReason?
    private var filterResults: JSONValue?
    private var usage: TokenUsage?
    private var model: String?
    private var lastToolIndex = -1
    private var lastToolID: String?

    init(provider: String) { self.provider = provider }

    mutating func consume(_ event: ServerSentEvent) throws(ProviderError) -> [ChatStreamEvent] {
        if event.data == "[DONE]" { isDone = true; return [] }
        guard let chunk = try? JSONValue(parsing: event.data) else {
            throw ProviderError(.malformedResponse, provider: provider, "a stream event is not JSON: \(ProviderError.clip(event.data))")
        }
        if let error = chunk["error"] {
            throw ProviderError(.server, provider: provider, "the stream reported an error: “\(ProviderError.clip(error["message"]?.stringValue ?? error.serialized()))”")
        }
        if model == nil, let name = chunk["model"]?.stringValue, !name.isEmpty { model = name }
        if let counted = OpenAIClient.usage(chunk["usage"], timings: chunk["timings"]) { usage = counted }
        var events: [ChatStreamEvent] = []
        // Azure's first chunk has `choices: []`; the usage chunk too.
        guard let choice = chunk["choices"]?.arrayValue?.first else { return events }
        let delta = choice["delta"]
        if let content = delta?["content"]?.stringValue, !content.isEmpty {
            text += content
            events.append(.textDelta(content))
        }
        if let part = delta?["refusal"]?.stringValue { refusal += part }
        for call in delta?["tool_calls"]?.arrayValue ?? [] {
            let id = call["id"]?.stringValue
            // The model-inference spec streams calls with an id but no index: a new id is a new call.
            let index = call["index"]?.intValue ?? ((id != nil && id != lastToolID) ? lastToolIndex + 1 : max(lastToolIndex, 0))
            if let id { lastToolID = id }
            lastToolIndex = index
            let name = call["function"]?["name"]?.stringValue
            let fragment = call["function"]?["arguments"]?.stringValue ?? ""
            tools.add(index: index, id: id, name: name, argumentsFragment: fragment)
            events.append(.toolCallDelta(index: index, id: id, name: name, argumentsFragment: fragment))
        }
        if let reason = choice["finish_reason"]?.stringValue {
            finish = OpenAIClient.finishReason(reason)
            filterResults = choice["content_filter_results"]
        }
        return events
    }

    func response(fallbackModel: String, latency: Latency) throws(ProviderError) -> ChatResponse {
        if !refusal.isEmpty { throw ProviderError(.contentFiltered, provider: provider, "the model refused: “\(ProviderError.clip(refusal))”") }
        if finish == .contentFilter {
            throw ProviderError(.contentFiltered, provider: provider, "a content filter stopped the answer\(OpenAIClient.filtered(filterResults))")
        }
        guard let finish else {
            throw ProviderError(.streamBroken, provider: provider, "the stream ended without a finish_reason; the answer is incomplete")
        }
        return ChatResponse(text: text, toolCalls: try tools.assembled(provider: provider), finishReason: finish, usage: usage,
                            model: model ?? fallbackModel, provider: provider, latency: latency)
    }
}
