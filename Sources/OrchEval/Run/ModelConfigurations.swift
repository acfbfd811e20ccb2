import Orchestrator
import Providers

/// Builds every configuration a suite can name: a model planner (provider + model) or the
/// golden plan, and `rules`, `small` or `large` workers (docs/suites.md, "Configurations").
/// Golden + rules go to `StandardConfigurations`; everything with a model runs through
/// `ModelCaseExecutor`, whose exchanges all pass through the case's cassette.
public struct ModelConfigurations: ConfigurationFactory {
    /// Prices the run's `ModelCall`s carry (the report prices usage again from the suite's sheet).
    public var prices: PriceTable?
    /// When true (replay only), a provider key that is not set is replaced by a placeholder:
    /// cassettes hold no keys, so replay needs none, and a placeholder can never reach a
    /// provider because replay sends nothing upstream. When recording it stays unset, so the
    /// client's own "set OPENAI_API_KEY" error names what is missing.
    public var placeholderKeys: Bool
    /// How long one model call may take: a loaded 2-core machine runs the local 1.5B model for minutes.
    public var callTimeout: Duration

    public init(prices: PriceTable? = nil, placeholderKeys: Bool = true, callTimeout: Duration = .seconds(900)) {
        self.prices = prices
        self.placeholderKeys = placeholderKeys
        self.callTimeout = callTimeout
    }

    /// The variables a replay without keys gets: one per cloud provider a suite can name.
    static let placeholders = ["OPENAI_API_KEY": "replay-without-key", "ANTHROPIC_API_KEY": "replay-without-key",
                               "GOOGLE_API_KEY": "replay-without-key", "AZURE_OPENAI_API_KEY": "replay-without-key",
                               "AZURE_SMALL_MODEL_KEY": "replay-without-key"]

    public func executor(for configuration: Configuration, suite: Suite) throws -> any CaseExecutor {
        let usesModels = configuration.planner != .golden || configuration.workers.kind != .rules || configuration.synthesis != nil
        guard usesModels else { return try StandardConfigurations().executor(for: configuration, suite: suite) }
        if configuration.workers.kind != .rules, configuration.workers.model == nil {
            throw EvalError.configurationUnavailable(configuration: configuration.name,
                                                     reason: "'\(configuration.workers.kind.rawValue)' workers need a model {provider, model}")
        }
        for case .model(let provider, _) in [configuration.planner, configuration.workers.model, configuration.synthesis].compactMap({ $0 })
        where ProviderName.canonical(provider) == nil {
            throw EvalError.configurationUnavailable(configuration: configuration.name,
                                                     reason: "unknown provider '\(provider)'; use one of \(ProviderName.accepted.joined(separator: ", "))")
        }
        return ModelCaseExecutor(configuration: configuration, prices: prices, placeholderKeys: placeholderKeys, callTimeout: callTimeout)
    }
}
