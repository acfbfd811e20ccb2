import OrchJSON

/// Assembles a `streamGenerateContent?alt=sse` stream (wire-formats.md §4): every event is a
/// whole `GenerateContentResponse` holding only the new text, `usageMetadata` is a running
/// count (the last one wins), and there is no end sentinel: the stream is complete only when
/// a chunk carried a `finishReason` before the body ended.
struct GeminiStreamState: EventStreamAssembler, Sendable {
    let client: GeminiClient
    let request: ChatRequest
    private var text = ""
    private var calls: [ToolCall] = []
    private var finish: String?
    private var usage: TokenUsage?
    private var model: String?

    init(client: GeminiClient, request: ChatRequest) {
        self.client = client
        self.request = request
    }

    /// Whether a chunk said why the answer ended.
    var finished: Bool { finish != nil }

    mutating func handle(_ data: String) throws -> [ChatStreamEvent] {
        let json: JSONValue
        do { json = try JSONValue(parsing: data) } catch {
            throw ProviderError.malformed(client.provider, expected: "every stream event's data is a JSON object", got: .string(data))
        }
        if let error = json["error"] { throw client.streamError(error) }
        let chunk = try client.chunk(json, callOffset: calls.count)
        var events: [ChatStreamEvent] = chunk.text.isEmpty ? [] : [.textDelta(chunk.text)]
        for call in chunk.calls {
            // Gemini sends each call whole, arguments as an object.
            events.append(.toolCallDelta(index: calls.count, id: call.id, name: call.name, argumentsFragment: call.arguments.serialized()))
            calls.append(call)
        }
        text += chunk.text
        finish = chunk.finishReason ?? finish
        usage = chunk.usage ?? usage
        model = chunk.model ?? model
        return events
    }

    func response(latency: Latency) throws -> ChatResponse {
        try client.response(text: text, calls: calls, finish: finish, usage: usage, model: model, request: request, latency: latency)
    }
}
