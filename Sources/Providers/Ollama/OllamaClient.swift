import Cassettes
import Foundation
import OrchJSON

/// A local model through Ollama's native `/api/chat` (wire-formats.md §5).
///
/// ```swift
/// let ollama = OllamaClient(model: "qwen2.5-coder:0.5b", transport: URLSessionTransport())
/// let answer = try await ollama.complete(ChatRequest(messages: [.user("Hello")]))
/// ```
///
/// Always sends `stream` (Ollama streams when it is absent); streams are NDJSON ending in a
/// `done: true` object. Latency is the server's own timing when it reports one
/// (`total_duration`; in a stream, load plus prompt evaluation as the time to the first
/// token; nanoseconds converted to milliseconds), else the measured one. `OLLAMA_API_KEY`, when set, is sent as a bearer
/// token for the hosted API.
public struct OllamaClient: ChatModel {
    public static let defaultBaseURL = URL(string: "http://localhost:11434")!

    public let provider = "ollama"
    public var model: String
    let baseURL: URL
    let apiKey: String?
    let http: ProviderHTTP

    /// - Parameter baseURL: `OLLAMA_API_URL`; requests go to `{baseURL}/api/chat`.
    public init(model: String, baseURL: URL = OllamaClient.defaultBaseURL, apiKey: String? = nil,
                transport: any HTTPTransport, options: ClientOptions = ClientOptions()) {
        self.model = model
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.http = ProviderHTTP(provider: "ollama", transport: transport, options: options, credentialVariable: "OLLAMA_API_KEY",
                                 modelSource: "--model or WORKER_MODEL (and `ollama pull` it)", secrets: apiKey.map { [$0] } ?? [],
                                 readError: Self.readError)
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let (json, measured) = try await http.sendJSON(httpRequest(request, stream: false), model: request.model ?? model)
        let line = try line(json)
        guard line.done else { throw ProviderError.malformed(provider, expected: "a stream:false answer has \"done\": true", got: json) }
        return self.response(text: line.text, calls: line.calls, last: line, request: request, measured: measured, streamed: false)
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        ChatStreamEvent.stream { continuation in
            let stream = try await http.stream(httpRequest(request, stream: true), model: request.model ?? model)
            var lines = NDJSONLines()
            var text = ""
            var calls: [ToolCall] = []
            var last: Line?
            func handle(_ data: Data) throws {
                guard last == nil else { return }  // nothing follows the done object
                let json: JSONValue
                do { json = try JSONValue(parsing: data) } catch {
                    throw ProviderError.malformed(provider, "a stream line is not JSON", body: data)
                }
                let line = try line(json, callOffset: calls.count)
                if !line.text.isEmpty { continuation.yield(.textDelta(line.text)) }
                for call in line.calls {
                    continuation.yield(.toolCallDelta(index: calls.count, id: call.id, name: call.name, argumentsFragment: call.arguments.serialized()))
                    calls.append(call)
                }
                text += line.text
                if line.done { last = line }
            }
            let measured = try await stream.forEachChunk { chunk in
                for data in lines.feed(chunk) { try handle(data) }
            }
            if let tail = lines.finish() { try handle(tail) }
            guard let last else { throw stream.endedEarly("its \"done\": true object") }
            continuation.yield(.completed(response(text: text, calls: calls, last: last, request: request, measured: measured, streamed: true)))
        }
    }

    /// A whole answer has no first byte apart from its last (as for every provider), so only
    /// a stream takes the server's time to the first token.
    func response(text: String, calls: [ToolCall], last: Line, request: ChatRequest, measured: Latency, streamed: Bool) -> ChatResponse {
        var latency = last.serverLatency ?? measured
        if !streamed { latency.firstByteMilliseconds = nil }
        return ChatResponse(text: text, toolCalls: calls, finishReason: Self.finishReason(last.doneReason, calls: calls),
                            usage: last.usage, model: last.model ?? (request.model ?? model), provider: provider, latency: latency)
    }

    func httpRequest(_ request: ChatRequest, stream: Bool) -> HTTPRequest {
        var headers: HTTPHeaders = ["content-type": "application/json"]
        if let apiKey { headers["authorization"] = "Bearer \(apiKey)" }
        return HTTPRequest(method: "POST", url: baseURL.appendingPathComponent("api/chat"), headers: headers,
                           body: body(for: request, stream: stream).serializedData())
    }

    /// Reads `{"error": "model 'llama3' not found"}`.
    @Sendable static func readError(_ response: HTTPResponse) -> ErrorDetails {
        ErrorDetails(message: (try? JSONValue(parsing: response.body))?["error"]?.stringValue)
    }
}
