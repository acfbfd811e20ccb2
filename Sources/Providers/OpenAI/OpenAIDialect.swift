import Foundation

/// What differs between the servers that speak OpenAI's Chat Completions format (OpenAI,
/// Azure OpenAI, the Azure AI model-inference API, llama.cpp / vLLM / LM Studio): where the
/// request goes, how it authenticates, and which optional fields the server accepts.
/// One encoder and one decoder serve them all.
public struct OpenAIDialect: Sendable {
    /// How the answer is held to a JSON Schema.
    public enum SchemaStyle: String, Sendable {
        /// `{"type":"json_schema","json_schema":{"name","schema","strict"}}` (OpenAI, Azure).
        case jsonSchema = "json_schema"
        /// `{"type":"json_object","schema":{…}}`: llama-cpp-python rejects the OpenAI form with
        /// HTTP 500; llama.cpp accepts both (wire-formats §7).
        case jsonObject = "json_object"
    }

    /// The provider name responses and errors carry.
    public var provider: String
    /// The chat-completions URL for a model (Azure puts the deployment in the path).
    public var url: @Sendable (_ model: String) -> URL
    /// Whether the body names the model (Azure's deployment route does not need it).
    public var sendsModel: Bool
    /// `max_completion_tokens` (OpenAI) or `max_tokens` (Azure 2024-10-21, model inference, local servers).
    public var maxTokensField: String
    public var schemaStyle: SchemaStyle
    /// Whether to ask for usage in streams (`stream_options.include_usage`).
    public var streamUsage: Bool
    public var credentials: Credentials
    /// The variable a 401/403 message tells the user to set.
    public var credentialVariable: String
    /// Where the model name comes from, for 404 messages.
    public var modelSource: String

    public init(provider: String, url: @escaping @Sendable (String) -> URL, sendsModel: Bool = true,
                maxTokensField: String = "max_tokens", schemaStyle: SchemaStyle = .jsonSchema, streamUsage: Bool = true,
                credentials: Credentials, credentialVariable: String, modelSource: String = "--model") {
        self.provider = provider
        self.url = url
        self.sendsModel = sendsModel
        self.maxTokensField = maxTokensField
        self.schemaStyle = schemaStyle
        self.streamUsage = streamUsage
        self.credentials = credentials
        self.credentialVariable = credentialVariable
        self.modelSource = modelSource
    }

    /// OpenAI itself: `{base}/chat/completions` with a bearer key.
    public static func openAI(baseURL: URL, apiKey: String) -> OpenAIDialect {
        OpenAIDialect(provider: "openai", url: { _ in baseURL.appendingPathComponent("chat/completions") },
                      maxTokensField: "max_completion_tokens", credentials: .bearer(apiKey), credentialVariable: "OPENAI_API_KEY",
                      modelSource: "--model or PLANNER_MODEL")
    }

    /// A local OpenAI-compatible server (llama.cpp, llama-cpp-python, vLLM, TGI, LM Studio).
    /// Without `apiKey` no Authorization header is sent.
    public static func openAICompatible(baseURL: URL, apiKey: String?, schemaStyle: SchemaStyle = .jsonObject) -> OpenAIDialect {
        OpenAIDialect(provider: "openai-compatible", url: { _ in baseURL.appendingPathComponent("chat/completions") },
                      schemaStyle: schemaStyle, credentials: apiKey.map { .bearer($0) } ?? .none,
                      credentialVariable: "LOCAL_MODEL_API_KEY", modelSource: "--model or WORKER_MODEL")
    }
}

/// How a request proves who sends it.
public enum Credentials: Sendable {
    case none
    /// `Authorization: Bearer KEY` (OpenAI, local servers, Azure ML endpoints).
    case bearer(String)
    /// `api-key: KEY` (Azure OpenAI).
    case apiKey(String)
    /// Both headers with the same key, as the azure-ai-inference SDK sends them.
    case apiKeyAndBearer(String)
    /// A Microsoft Entra ID token, fetched (and cached) when needed.
    case entra(EntraTokenSource)

    /// The headers for one request.
    func headers() async throws(ProviderError) -> [String: String] {
        switch self {
        case .none: [:]
        case .bearer(let key): ["Authorization": "Bearer \(key)"]
        case .apiKey(let key): ["api-key": key]
        case .apiKeyAndBearer(let key): ["api-key": key, "Authorization": "Bearer \(key)"]
        case .entra(let source): ["Authorization": "Bearer \(try await source.token())"]
        }
    }

    /// Values that must never appear in a message (the static key; tokens are masked by shape).
    var secrets: [String] {
        switch self {
        case .none, .entra: []
        case .bearer(let key), .apiKey(let key), .apiKeyAndBearer(let key): [key]
        }
    }
}
