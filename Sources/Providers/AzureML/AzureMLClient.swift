import Cassettes
import Foundation
import OrchJSON

/// An Azure ML managed online endpoint (`…/score`), the seed's `SMALL_MODEL_BACKEND=azure` with a
/// Phi-3 style chat deployment (wire-formats §6b): bearer key, `{"input_data": {"input_string":
/// [messages], "parameters": {…}}}` in, `{"output": "…"}` out. The score script decides the real
/// contract, so answers shaped `[{"0": "…"}]` or like OpenAI's are read too.
///
/// What the endpoint cannot do is said, not faked: usage is unknown (`nil`); structured output is
/// asked for in the system prompt (the caller validates); tools are refused; a stream is the
/// whole answer delivered as one delta.
public struct AzureMLClient: ChatModel {
    public let provider = "azure-ml"
    public let model: String
    let endpoint: URL
    let key: String
    /// Sent as `azureml-model-deployment` to pin a deployment; nil lets traffic rules choose.
    let deployment: String?
    let http: ProviderHTTP

    public init(endpoint: URL, key: String, model: String, deployment: String? = nil, transport: any HTTPTransport,
                options: ClientOptions = ClientOptions()) {
        self.endpoint = endpoint
        self.key = key
        self.model = model
        self.deployment = deployment
        self.http = ProviderHTTP(provider: "azure-ml", transport: transport, retry: options.retry, clock: options.clock,
                                 credentialVariable: "AZURE_SMALL_MODEL_KEY", modelSource: "AZURE_SMALL_MODEL_ENDPOINT / AZURE_SMALL_MODEL_DEPLOYMENT",
                                 secrets: [key], timeout: options.timeout, readError: OpenAIClient.readError)
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        guard request.tools.isEmpty else {
            throw ProviderError(.badRequest, provider: provider, "Azure ML /score endpoints take no tools; use the model-inference endpoint (no /score) for tool calls")
        }
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Authorization": "Bearer \(key)"]
        if let deployment { headers["azureml-model-deployment"] = deployment }
        let httpRequest = HTTPRequest(method: "POST", url: endpoint, headers: headers, body: Self.encode(request).serializedData())
        let (response, latency) = try await http.send(httpRequest, model: deployment ?? model)
        return try decode(response.body, latency: latency)
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        ChatStreamEvent.stream { continuation in
            let response = try await complete(request)
            if !response.text.isEmpty { continuation.yield(.textDelta(response.text)) }
            continuation.yield(.completed(response))
        }
    }

    static func encode(_ request: ChatRequest) -> JSONValue {
        var system = request.system ?? ""
        if let format = request.responseFormat {
            system += (system.isEmpty ? "" : "\n\n") + "Answer with JSON only, following this JSON Schema:\n" + format.schema.serialized()
        }
        var messages: [JSONValue] = system.isEmpty ? [] : [["role": "system", "content": .string(system)]]
        for message in request.messages {
            messages.append(["role": .string(message.role == .tool ? "user" : message.role.rawValue), "content": .string(message.content)])
        }
        var parameters: [String: JSONValue] = [:]
        if let temperature = request.temperature { parameters["temperature"] = .number(temperature) }
        if let limit = request.maxOutputTokens { parameters["max_new_tokens"] = .number(Double(limit)) }
        return ["input_data": ["input_string": .array(messages), "parameters": .object(parameters)]]
    }

    func decode(_ body: Data, latency: Latency) throws(ProviderError) -> ChatResponse {
        guard let json = try? JSONValue(parsing: body) else { throw ProviderError.malformed(provider, "the answer is not JSON", body: body) }
        if json["choices"] != nil {
            var response = try OpenAIClient.decodeCompletion(body, provider: provider, fallbackModel: model, latency: latency)
            response.provider = provider
            return response
        }
        guard let text = json["output"]?.stringValue ?? json.arrayValue?.first?["0"]?.stringValue else {
            throw ProviderError.malformed(provider, "the answer has no \"output\" text", body: body)
        }
        return ChatResponse(text: text, finishReason: .stop, usage: nil, model: model, provider: provider, latency: latency)
    }
}
