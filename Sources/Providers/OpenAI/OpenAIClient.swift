import Cassettes
import Foundation

/// A chat model behind OpenAI's Chat Completions format; `dialect` says which server.
///
/// ```swift
/// let client = OpenAIClient(dialect: .openAI(baseURL: URL(string: "https://api.openai.com/v1")!, apiKey: key),
///                           model: "gpt-4o", transport: URLSessionTransport())
/// let answer = try await client.complete(ChatRequest(messages: [.user("Hello")]))
/// ```
public struct OpenAIClient: ChatModel {
    public let dialect: OpenAIDialect
    public let model: String
    let http: ProviderHTTP

    public var provider: String { dialect.provider }

    public init(dialect: OpenAIDialect, model: String, transport: any HTTPTransport, options: ClientOptions = ClientOptions()) {
        self.dialect = dialect
        self.model = model
        self.http = ProviderHTTP(provider: dialect.provider, transport: transport, retry: options.retry, clock: options.clock,
                                 credentialVariable: dialect.credentialVariable, modelSource: dialect.modelSource,
                                 secrets: dialect.credentials.secrets, timeout: options.timeout, readError: Self.readError)
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let model = request.model ?? model
        let (response, latency) = try await http.send(try await httpRequest(request, model: model, stream: false), model: model)
        return try Self.decodeCompletion(response.body, provider: provider, fallbackModel: model, latency: latency)
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        ChatStreamEvent.stream { continuation in
            let model = request.model ?? model
            let stream = try await http.stream(try await httpRequest(request, model: model, stream: true), model: model)
            var decoder = OpenAIStreamDecoder(provider: provider)
            let latency = try await stream.forEachEvent { event in
                for delta in try decoder.consume(event) { continuation.yield(delta) }
            }
            guard decoder.isDone else { throw stream.endedEarly("`data: [DONE]`") }
            continuation.yield(.completed(try decoder.response(fallbackModel: model, latency: latency)))
        }
    }

    /// The HTTP request for `request`: URL, credentials and JSON body.
    func httpRequest(_ request: ChatRequest, model: String, stream: Bool) async throws(ProviderError) -> HTTPRequest {
        var headers = HTTPHeaders(try await dialect.credentials.headers())
        headers["Content-Type"] = "application/json"
        if stream { headers["Accept"] = "text/event-stream" }
        let body = encode(request, model: model, stream: stream)
        return HTTPRequest(method: "POST", url: dialect.url(model), headers: headers, body: body.serializedData())
    }
}
