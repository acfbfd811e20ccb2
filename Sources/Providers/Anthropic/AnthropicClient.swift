import Cassettes
import Foundation
import OrchJSON

/// Claude through the Anthropic Messages API (wire-formats.md §3).
///
/// ```swift
/// let claude = AnthropicClient(apiKey: key, model: "claude-haiku-4-5", transport: URLSessionTransport())
/// let answer = try await claude.complete(ChatRequest(system: "Be terse.", messages: [.user("Hello")]))
/// ```
///
/// Sends `x-api-key` and `anthropic-version: 2023-06-01`, `max_tokens` on every request
/// (`defaultMaxTokens` when the request sets none), the system prompt as the top-level
/// `system`, and asks for structured output by forcing a tool whose input schema is the
/// answer's schema. Anthropic has no `seed`; a request's seed is not sent.
public struct AnthropicClient: ChatModel {
    public static let defaultBaseURL = URL(string: "https://api.anthropic.com")!
    /// The documented API version header value.
    public static let apiVersion = "2023-06-01"

    public let provider = "anthropic"
    public var model: String
    /// `max_tokens` when a request does not set `maxOutputTokens` (the API requires one).
    public var defaultMaxTokens = 4096
    let baseURL: URL
    let apiKey: String
    let http: ProviderHTTP

    /// - Parameters:
    ///   - baseURL: `ANTHROPIC_BASE_URL` (a proxy or gateway); requests go to `{baseURL}/v1/messages`.
    public init(apiKey: String, model: String, baseURL: URL = AnthropicClient.defaultBaseURL,
                transport: any HTTPTransport, options: ClientOptions = ClientOptions()) {
        self.apiKey = apiKey
        self.model = model
        self.baseURL = baseURL
        self.http = ProviderHTTP(provider: "anthropic", transport: transport, options: options, credentialVariable: "ANTHROPIC_API_KEY",
                                 modelSource: "--model or PLANNER_MODEL", secrets: [apiKey], readError: Self.readError)
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let (json, latency) = try await http.sendJSON(httpRequest(request, stream: false), model: request.model ?? model)
        return try decode(json, for: request, latency: latency)
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        http.eventStream(httpRequest(request, stream: true), model: request.model ?? model,
                         assembler: AnthropicStreamState(client: self, request: request), end: "its message_stop event")
    }

    func httpRequest(_ request: ChatRequest, stream: Bool) -> HTTPRequest {
        HTTPRequest(method: "POST", url: baseURL.appendingPathComponent("v1/messages"),
                    headers: ["x-api-key": apiKey, "anthropic-version": Self.apiVersion, "content-type": "application/json"],
                    body: body(for: request, stream: stream).serializedData())
    }
}
