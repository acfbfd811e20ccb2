import Cassettes
import Foundation

/// What a client needs besides its configuration: how it retries, reads time and runs the
/// `az` command. Tests inject fast, deterministic ones.
public struct ClientOptions: Sendable {
    public var retry: RetryPolicy
    public var clock: ProviderClock
    /// Runs `az account get-access-token` for Azure OpenAI with Entra ID.
    public var commandRunner: CommandRunner

    public init(retry: RetryPolicy = .standard, clock: ProviderClock = .system, commandRunner: CommandRunner = .system) {
        self.retry = retry
        self.clock = clock
        self.commandRunner = commandRunner
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
    default:
        throw ProviderError(.configuration, provider: name, "the \(name) client is not built yet on this branch")
    }
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
        "anthropic": "claude-3-5-sonnet-latest",
        "gemini": "gemini-1.5-pro",
        "ollama": "phi3",
        "openai-compatible": "local-model",
    ]
}
