/// A chat model behind some provider's wire format. Clients take an injected `HTTPTransport`,
/// so every exchange can be recorded into a cassette or replayed from one.
///
/// A test double only needs the two calls:
///
/// ```swift
/// struct Canned: ChatModel {
///     let provider = "canned", model = "echo"
///     func complete(_ request: ChatRequest) async throws -> ChatResponse {
///         ChatResponse(text: request.messages.last?.content ?? "", finishReason: .stop, model: model, provider: provider)
///     }
///     func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
///         ChatStreamEvent.stream { continuation in continuation.yield(.completed(try await complete(request))) }
///     }
/// }
/// ```
public protocol ChatModel: Sendable {
    /// Provider name as used in configs and ledgers: "openai", "azure-openai", "anthropic",
    /// "gemini", "ollama", "azure-ml", "azure-inference", "openai-compatible".
    var provider: String { get }
    /// The model (or Azure deployment) this client asks by default.
    var model: String { get }
    /// Sends `request` and waits for the whole answer. Throws `ProviderError`.
    func complete(_ request: ChatRequest) async throws -> ChatResponse
    /// Streams deltas, ending with `.completed(response)` carrying the assembled answer.
    /// Throws `ProviderError` (a stream that breaks mid-way is `.streamBroken`).
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error>
}

extension ChatStreamEvent {
    /// An event stream fed by `body`, which runs in its own task and is cancelled when the
    /// consumer stops listening. A thrown error ends the stream with that error.
    public static func stream(
        _ body: @escaping @Sendable (AsyncThrowingStream<ChatStreamEvent, any Error>.Continuation) async throws -> Void
    ) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await body(continuation)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

extension AsyncThrowingStream where Element == ChatStreamEvent {
    /// Consumes the stream and returns its final response; `onText` sees each text delta.
    public func finalResponse(onText: (String) -> Void = { _ in }) async throws -> ChatResponse {
        for try await event in self {
            switch event {
            case .textDelta(let text): onText(text)
            case .toolCallDelta: break
            case .completed(let response): return response
            }
        }
        throw ProviderError(.streamBroken, provider: "unknown", "the stream ended without a final answer")
    }
}
