import Cassettes
import Foundation
import OrchJSON

/// Gemini through the Gemini Developer API's `generateContent` and
/// `streamGenerateContent?alt=sse` (wire-formats.md §4).
///
/// ```swift
/// let gemini = GeminiClient(apiKey: key, model: "gemini-2.5-flash", transport: URLSessionTransport())
/// let answer = try await gemini.complete(ChatRequest(messages: [.user("Hello")]))
/// ```
///
/// Sends the key as `x-goog-api-key`; structured output as `responseMimeType:
/// application/json` plus a `responseSchema` converted to Gemini's schema dialect
/// (`GeminiSchema`). Function calls come back with object arguments and, when Gemini gives
/// none, ids `call_0`, `call_1`, …; a prompt or answer stopped by the safety filters is a
/// `.contentFiltered` error.
public struct GeminiClient: ChatModel {
    public static let defaultBaseURL = URL(string: "https://generativelanguage.googleapis.com")!

    public let provider = "gemini"
    public var model: String
    let baseURL: URL
    let apiKey: String
    let http: ProviderHTTP

    /// - Parameters:
    ///   - apiKey: `GOOGLE_API_KEY` (or `GEMINI_API_KEY`).
    ///   - baseURL: `GEMINI_BASE_URL`; requests go to `{baseURL}/v1beta/models/{model}:…`.
    public init(apiKey: String, model: String, baseURL: URL = GeminiClient.defaultBaseURL,
                transport: any HTTPTransport, options: ClientOptions = ClientOptions()) {
        self.apiKey = apiKey
        self.model = model
        self.baseURL = baseURL
        self.http = ProviderHTTP(provider: "gemini", transport: transport, options: options, credentialVariable: "GOOGLE_API_KEY (or GEMINI_API_KEY)",
                                 modelSource: "--model or PLANNER_MODEL", secrets: [apiKey], readError: Self.readError)
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let (json, latency) = try await http.sendJSON(httpRequest(request, method: "generateContent"), model: request.model ?? model)
        let chunk = try chunk(json)
        return try self.response(text: chunk.text, calls: chunk.calls, finish: chunk.finishReason, usage: chunk.usage,
                                 model: chunk.model, request: request, latency: latency)
    }

    /// The stream has no end sentinel: it is complete when the body ends after a chunk that
    /// carried a `finishReason`, and `.streamBroken` when it ends before one.
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        http.eventStream(httpRequest(request, method: "streamGenerateContent", query: "alt=sse"), model: request.model ?? model,
                         assembler: GeminiStreamState(client: self, request: request), end: "a chunk with a finishReason")
    }

    func httpRequest(_ request: ChatRequest, method: String, query: String? = nil) -> HTTPRequest {
        var name = request.model ?? model
        if name.hasPrefix("models/") { name = String(name.dropFirst("models/".count)) }
        let escaped = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? name
        var text = baseURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += "/v1beta/models/\(escaped):\(method)" + (query.map { "?\($0)" } ?? "")
        return HTTPRequest(method: "POST", url: URL(string: text) ?? baseURL,
                           headers: ["x-goog-api-key": apiKey, "content-type": "application/json"],
                           body: body(for: request).serializedData())
    }
}
