import Cassettes
import Foundation

/// What a client needs besides its configuration: how it retries, reads time and runs the
/// `az` command. Tests inject fast, deterministic ones.
public struct ClientOptions: Sendable {
    public var retry: RetryPolicy
    public var clock: ProviderClock
    /// Runs `az account get-access-token` for Azure OpenAI with Entra ID.
    public var commandRunner: CommandRunner
    /// Seconds a request may go without progress (the official SDKs allow 600).
    public var timeout: Double

    public init(retry: RetryPolicy = .standard, clock: ProviderClock = .system, commandRunner: CommandRunner = .system,
                timeout: Double = 600) {
        self.retry = retry
        self.clock = clock
        self.commandRunner = commandRunner
        self.timeout = timeout
    }
}

/// The provider names `--provider` and `PLANNER_PROVIDER` / `SMALL_MODEL_BACKEND` accept.
public enum ProviderName {
    /// Every accepted name, in the order help texts list them.
    public static let accepted = ["openai", "azure-openai", "anthropic", "gemini", "ollama", "azure", "openai-compatible", "transformers"]

    /// The name a client reports for `name` (`transformers` is served as `openai-compatible`);
    /// nil when the name is unknown.
    public static func canonical(_ name: String) -> String? {
        let lowered = name.lowercased()
        guard accepted.contains(lowered) else { return nil }
        return lowered == "transformers" ? "openai-compatible" : lowered
    }

    /// Whether `provider` is a small-model backend (its model defaults from WORKER_MODEL).
    static func isWorkerBackend(_ provider: String) -> Bool {
        ["ollama", "azure", "openai-compatible"].contains(provider)
    }
}

/// A chat model for `provider`, configured from `environment` (see docs/providers.md for the
/// variables). `model` overrides the default model (for Azure OpenAI: the deployment).
/// Throws `.configuration` for an unknown provider or a missing variable, naming it.
public func makeChatModel(provider: String, model: String?, environment: [String: String],
                          transport: any HTTPTransport) throws -> any ChatModel {
    try makeChatModel(provider: provider, model: model, environment: ProviderEnvironment(environment), transport: transport)
}

/// `makeChatModel` with injected retry policy, clock and command runner.
public func makeChatModel(provider: String, model: String?, environment: ProviderEnvironment, transport: any HTTPTransport,
                          options: ClientOptions = ClientOptions()) throws(ProviderError) -> any ChatModel {
    guard let name = ProviderName.canonical(provider) else {
        throw ProviderError(.configuration, provider: provider,
                            "unknown provider '\(provider)'; use one of \(ProviderName.accepted.joined(separator: ", "))")
    }
    let model = model ?? defaultModel(for: name, environment: environment)
    switch name {
    case "openai":
        let key = try environment.require("OPENAI_API_KEY", for: name)
        let base = try environment.url("OPENAI_BASE_URL", default: "https://api.openai.com/v1", for: name)
        return OpenAIClient(dialect: .openAI(baseURL: base, apiKey: key), model: model ?? "gpt-4o", transport: transport, options: options)
    case "azure-openai":
        return try makeAzureOpenAI(deployment: model, environment: environment, transport: transport, options: options)
    case "azure":
        return try makeAzureSmallModel(model: model, environment: environment, transport: transport, options: options)
    case "openai-compatible":
        let base = try environment.url("LOCAL_MODEL_URL", default: "http://127.0.0.1:8080/v1", for: name)
        let style = try schemaStyle(environment)
        return OpenAIClient(dialect: .openAICompatible(baseURL: base, apiKey: environment["LOCAL_MODEL_API_KEY"], schemaStyle: style),
                            model: model ?? "local-model", transport: transport, options: options)
    case "anthropic":
        let key = try environment.require("ANTHROPIC_API_KEY", for: name)
        let base = try environment.url("ANTHROPIC_BASE_URL", default: AnthropicClient.defaultBaseURL.absoluteString, for: name)
        return AnthropicClient(apiKey: key, model: model ?? "claude-sonnet-4-6", baseURL: base, transport: transport, options: options)
    case "gemini":
        guard let key = environment["GOOGLE_API_KEY"] ?? environment["GEMINI_API_KEY"] else {
            throw ProviderError(.configuration, provider: name, "GOOGLE_API_KEY (or GEMINI_API_KEY) is not set; set it in the environment or in .env")
        }
        let base = try environment.url("GEMINI_BASE_URL", default: GeminiClient.defaultBaseURL.absoluteString, for: name)
        return GeminiClient(apiKey: key, model: model ?? "gemini-2.5-flash", baseURL: base, transport: transport, options: options)
    case "ollama":
        let base = try environment.url("OLLAMA_API_URL", default: OllamaClient.defaultBaseURL.absoluteString, for: name)
        return OllamaClient(model: model ?? "phi3", baseURL: base, apiKey: environment["OLLAMA_API_KEY"], transport: transport, options: options)
    default:
        throw ProviderError(.configuration, provider: name, "the \(name) client is not built yet on this branch")
    }
}

private func makeAzureOpenAI(deployment: String?, environment: ProviderEnvironment, transport: any HTTPTransport,
                             options: ClientOptions) throws(ProviderError) -> any ChatModel {
    let endpoint = try environment.url("AZURE_OPENAI_ENDPOINT", for: "azure-openai")
    guard let deployment else {
        throw ProviderError(.configuration, provider: "azure-openai",
                            "no deployment: set AZURE_OPENAI_DEPLOYMENT or pass --model with the deployment name")
    }
    let credentials: Credentials = environment.flag("AZURE_OPENAI_USE_AD")
        ? .entra(EntraTokenSource(fixedToken: environment["AZURE_OPENAI_AD_TOKEN"], runner: options.commandRunner))
        : .apiKey(try environment.require("AZURE_OPENAI_API_KEY", for: "azure-openai"))
    let version = environment["AZURE_OPENAI_API_VERSION"] ?? OpenAIDialect.defaultAzureAPIVersion
    return OpenAIClient(dialect: .azureOpenAI(endpoint: endpoint, apiVersion: version, credentials: credentials),
                        model: deployment, transport: transport, options: options)
}

/// `SMALL_MODEL_BACKEND=azure`: an endpoint ending in `/score` is an Azure ML online endpoint,
/// anything else the Azure AI model-inference API.
private func makeAzureSmallModel(model: String?, environment: ProviderEnvironment, transport: any HTTPTransport,
                                 options: ClientOptions) throws(ProviderError) -> any ChatModel {
    let endpoint = try environment.url("AZURE_SMALL_MODEL_ENDPOINT", for: "azure")
    let key = try environment.require("AZURE_SMALL_MODEL_KEY", for: "azure")
    if endpoint.path.hasSuffix("/score") {
        return AzureMLClient(endpoint: endpoint, key: key, model: model ?? "azure-ml-endpoint",
                             deployment: environment["AZURE_SMALL_MODEL_DEPLOYMENT"], transport: transport, options: options)
    }
    var dialect = OpenAIDialect.azureInference(endpoint: endpoint, apiKey: key,
                                               apiVersion: environment["AZURE_SMALL_MODEL_API_VERSION"] ?? OpenAIDialect.defaultInferenceAPIVersion)
    // A serverless endpoint serves one model and needs no name; the unified route needs the deployment.
    dialect.sendsModel = model != nil
    return OpenAIClient(dialect: dialect, model: model ?? "azure-inference", transport: transport, options: options)
}

private func schemaStyle(_ environment: ProviderEnvironment) throws(ProviderError) -> OpenAIDialect.SchemaStyle {
    guard let text = environment["LOCAL_MODEL_SCHEMA_MODE"] else { return .jsonObject }
    guard let style = OpenAIDialect.SchemaStyle(rawValue: text) else {
        throw ProviderError(.configuration, provider: "openai-compatible", "LOCAL_MODEL_SCHEMA_MODE must be json_object or json_schema, not '\(text)'")
    }
    return style
}

/// The model `provider` asks when none is given: PLANNER_MODEL for the planner providers,
/// WORKER_MODEL for the small-model backends, AZURE_OPENAI_DEPLOYMENT for Azure OpenAI, else
/// the provider's default (nil where there is none).
public func defaultModel(for provider: String, environment: ProviderEnvironment) -> String? {
    let name = ProviderName.canonical(provider) ?? provider
    if name == "azure-openai" { return environment["AZURE_OPENAI_DEPLOYMENT"] ?? environment["PLANNER_MODEL"] }
    if ProviderName.isWorkerBackend(name) { return environment["WORKER_MODEL"] ?? DefaultModels.byProvider[name] }
    return environment["PLANNER_MODEL"] ?? DefaultModels.byProvider[name]
}

/// Each provider's model when no variable names one.
public enum DefaultModels {
    public static let byProvider: [String: String] = [
        "openai": "gpt-4o",
        // claude-3-5-sonnet and gemini-1.5-pro are retired (wire-formats.md §9).
        "anthropic": "claude-sonnet-4-6",
        "gemini": "gemini-2.5-flash",
        "ollama": "phi3",
        "openai-compatible": "local-model",
    ]
}

/// The small worker model the seed's variables select: `SMALL_MODEL_BACKEND` (ollama, azure,
/// transformers or openai-compatible; default ollama) with `WORKER_MODEL`, or nil when
/// `USE_SMALL_MODEL` is not true (the large model then does the workers' jobs).
public func makeWorkerModel(environment: ProviderEnvironment, transport: any HTTPTransport,
                            options: ClientOptions = ClientOptions()) throws(ProviderError) -> (any ChatModel)? {
    guard environment.flag("USE_SMALL_MODEL") else { return nil }
    let backend = environment["SMALL_MODEL_BACKEND"] ?? "ollama"
    guard let name = ProviderName.canonical(backend), ProviderName.isWorkerBackend(name) else {
        throw ProviderError(.configuration, provider: backend,
                            "SMALL_MODEL_BACKEND must be ollama, azure, transformers or openai-compatible, not '\(backend)'")
    }
    return try makeChatModel(provider: name, model: nil, environment: environment, transport: transport, options: options)
}
