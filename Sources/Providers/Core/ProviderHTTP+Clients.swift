import Cassettes
import Foundation
import OrchJSON

/// Assembles a provider's server-sent events into deltas and, once the stream ended
/// properly, the answer (Anthropic and Gemini streams have one each).
protocol EventStreamAssembler {
    /// Whether the provider's end marker (or final chunk) arrived.
    var finished: Bool { get }
    /// The deltas one event's data carries.
    mutating func handle(_ data: String) throws -> [ChatStreamEvent]
    /// The assembled answer.
    func response(latency: Latency) throws -> ChatResponse
}

extension ProviderHTTP {
    /// A `ProviderHTTP` with a client's retry policy, clock and timeout.
    init(provider: String, transport: any HTTPTransport, options: ClientOptions, credentialVariable: String,
         modelSource: String, secrets: [String], readError: @escaping @Sendable (HTTPResponse) -> ErrorDetails) {
        self.init(provider: provider, transport: transport, retry: options.retry, clock: options.clock,
                  credentialVariable: credentialVariable, modelSource: modelSource, secrets: secrets,
                  timeout: options.timeout, readError: readError)
    }

    /// Sends `request` and parses the 2xx answer as JSON (`.malformedResponse` when it is not).
    func sendJSON(_ request: HTTPRequest, model: String) async throws(ProviderError) -> (JSONValue, Latency) {
        let (response, latency) = try await send(request, model: model)
        guard let json = try? JSONValue(parsing: response.body) else {
            throw ProviderError.malformed(provider, "the answer is not JSON", body: response.body, status: response.status)
        }
        return (json, latency)
    }

    /// Streams `request`'s server-sent events through `assembler`; a body that ends before
    /// `end` (the provider's end marker) is `.streamBroken`.
    func eventStream<Assembler: EventStreamAssembler & Sendable>(_ request: HTTPRequest, model: String, assembler: Assembler,
                                                                 end: String) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        ChatStreamEvent.stream { continuation in
            let stream = try await self.stream(request, model: model)
            var state = assembler
            let latency = try await stream.forEachEvent { event in
                for delta in try state.handle(event.data) { continuation.yield(delta) }
            }
            guard state.finished else { throw stream.endedEarly(end) }
            continuation.yield(.completed(try state.response(latency: latency)))
        }
    }
}
