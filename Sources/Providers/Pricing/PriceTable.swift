import Foundation
import OrchJSON

/// List prices per provider and model, loaded from `Fixtures/pricing.json`:
///
/// ```json
/// {"version": 1,
///  "local_usd_per_second": 0,
///  "provider_fallbacks": {"azure-openai": ["azure", "openai"]},
///  "models": [{"provider": "openai", "model": "gpt-4o", "input_per_million": 2.5,
///              "output_per_million": 10, "cached_input_per_million": 1.25,
///              "match": {"any_of": [{"equals": "gpt-4o"}, {"equals": "gpt-4o-2024-08-06"}]},
///              "tiers": [{"above_input_tokens": 200000, "input_per_million": 5, "output_per_million": 15}],
///              "source": "genai-prices 0.2.3 …", "date": "2026-10-14"}]}
/// ```
///
/// A model answers by its exact name, then by the first entry whose `match` covers it, then
/// by the longest listed name without `match` it starts with followed by `-` (so the dated
/// `gpt-4o-2024-08-06` is priced as `gpt-4o`); a provider without the model looks in its
/// `provider_fallbacks` in order (Azure deployments of OpenAI models cost OpenAI's list price).
public struct PriceTable: Sendable, Equatable {
    /// One model's prices in USD per million tokens.
    public struct Price: Sendable, Equatable {
        public var provider: String
        public var model: String
        public var inputPerMillion: Double
        public var outputPerMillion: Double
        /// Price of cached input tokens; nil = same as input.
        public var cachedInputPerMillion: Double?
        /// Where the price comes from, and when it was read.
        public var source: String
        public var date: String
        /// Other names this price covers (genai-prices' match clauses).
        public var match: PriceMatch?
        /// Prices for requests whose prompt is longer than a threshold, lowest threshold first.
        public var tiers: [Tier]

        public init(provider: String, model: String, inputPerMillion: Double, outputPerMillion: Double,
                    cachedInputPerMillion: Double? = nil, source: String, date: String,
                    match: PriceMatch? = nil, tiers: [Tier] = []) {
            self.provider = provider
            self.model = model
            self.inputPerMillion = inputPerMillion
            self.outputPerMillion = outputPerMillion
            self.cachedInputPerMillion = cachedInputPerMillion
            self.source = source
            self.date = date
            self.match = match
            self.tiers = tiers.sorted { $0.aboveInputTokens < $1.aboveInputTokens }
        }

        /// The price that applies to a request of `inputTokens`: every token of a request
        /// whose prompt is past a tier's threshold pays that tier (genai-prices' rule).
        public func forPrompt(of inputTokens: Int) -> Price {
            guard let tier = tiers.last(where: { inputTokens > $0.aboveInputTokens }) else { return self }
            var priced = self
            priced.inputPerMillion = tier.inputPerMillion ?? inputPerMillion
            priced.outputPerMillion = tier.outputPerMillion ?? outputPerMillion
            priced.cachedInputPerMillion = tier.cachedInputPerMillion ?? cachedInputPerMillion
            priced.tiers = []
            return priced
        }
    }

    /// A long-prompt price tier: prices that replace the base ones above a prompt length.
    public struct Tier: Sendable, Equatable {
        public var aboveInputTokens: Int
        public var inputPerMillion: Double?
        public var outputPerMillion: Double?
        public var cachedInputPerMillion: Double?

        public init(aboveInputTokens: Int, inputPerMillion: Double? = nil, outputPerMillion: Double? = nil,
                    cachedInputPerMillion: Double? = nil) {
            self.aboveInputTokens = aboveInputTokens
            self.inputPerMillion = inputPerMillion
            self.outputPerMillion = outputPerMillion
            self.cachedInputPerMillion = cachedInputPerMillion
        }
    }

    /// Providers that run on this machine: priced by compute time, not tokens.
    public static let localProviders: Set<String> = ["ollama", "openai-compatible"]

    public var prices: [Price]
    /// USD per second of compute for local models (0 by default).
    public var localUSDPerSecond: Double
    /// Providers whose models are priced from other providers' entries, in order.
    public var fallbacks: [String: [String]]

    public init(prices: [Price], localUSDPerSecond: Double = 0, fallbacks: [String: [String]] = [:]) {
        self.prices = prices
        self.localUSDPerSecond = localUSDPerSecond
        self.fallbacks = fallbacks
    }

    /// Loads a price table file; errors name the file and the entry.
    public static func load(_ file: URL) throws(ProviderError) -> PriceTable {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ProviderError(.configuration, provider: "pricing", "cannot read the price table \(file.path)")
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: data) } catch {
            throw ProviderError(.configuration, provider: "pricing", "\(file.path) is not JSON: \(error)")
        }
        return try PriceTable(json: json, file: file.path)
    }

    /// Reads the table from its JSON form (see the type's documentation).
    public init(json: JSONValue, file: String = "pricing.json") throws(ProviderError) {
        guard let models = json["models"]?.arrayValue else {
            throw ProviderError(.configuration, provider: "pricing", "\(file) has no \"models\" array")
        }
        var prices: [Price] = []
        for (index, entry) in models.enumerated() {
            guard let provider = entry["provider"]?.stringValue, let model = entry["model"]?.stringValue,
                  let input = entry["input_per_million"]?.doubleValue, let output = entry["output_per_million"]?.doubleValue,
                  input >= 0, output >= 0 else {
                throw ProviderError(.configuration, provider: "pricing",
                                    "\(file) models[\(index)] needs provider, model, input_per_million and output_per_million (non-negative numbers)")
            }
            var match: PriceMatch?
            if let clause = entry["match"] {
                guard let parsed = PriceMatch(json: clause) else {
                    throw ProviderError(.configuration, provider: "pricing", "\(file) models[\(index)].match is not a genai-prices match clause")
                }
                match = parsed
            }
            let tiers = (entry["tiers"]?.arrayValue ?? []).compactMap { tier -> Tier? in
                tier["above_input_tokens"]?.intValue.map {
                    Tier(aboveInputTokens: $0, inputPerMillion: tier["input_per_million"]?.doubleValue,
                         outputPerMillion: tier["output_per_million"]?.doubleValue,
                         cachedInputPerMillion: tier["cached_input_per_million"]?.doubleValue)
                }
            }
            prices.append(Price(provider: provider, model: model, inputPerMillion: input, outputPerMillion: output,
                                cachedInputPerMillion: entry["cached_input_per_million"]?.doubleValue,
                                source: entry["source"]?.stringValue ?? "", date: entry["date"]?.stringValue ?? "",
                                match: match, tiers: tiers))
        }
        let fallbacks = (json["provider_fallbacks"]?.objectValue ?? [:]).mapValues { $0.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(prices: prices, localUSDPerSecond: json["local_usd_per_second"]?.doubleValue ?? 0, fallbacks: fallbacks)
    }

    /// The price of `model` at `provider`, nil when unlisted.
    public func price(provider: String, model: String) -> Price? {
        for source in [provider] + (fallbacks[provider] ?? []) {
            let listed = prices.filter { $0.provider == source }
            if let exact = listed.first(where: { $0.model.lowercased() == model.lowercased() }) { return exact }
            if let matched = listed.first(where: { $0.match?.matches(model) == true }) { return matched }
            // Entries with match clauses say exactly what they cover (a `-tts` variant is not the chat model).
            let unmatched = listed.filter { $0.match == nil }
            if let prefixed = unmatched.filter({ model.lowercased().hasPrefix($0.model.lowercased() + "-") }).max(by: { $0.model.count < $1.model.count }) {
                return prefixed
            }
        }
        return nil
    }

    /// The cost in USD of `usage` at list price; nil when the usage or the price is unknown.
    /// Local providers cost `localUSDPerSecond` × `computeSeconds` (zero by default).
    public func cost(provider: String, model: String, usage: TokenUsage?, computeSeconds: Double? = nil) -> Double? {
        if Self.localProviders.contains(provider) {
            return localUSDPerSecond == 0 ? 0 : computeSeconds.map { $0 * localUSDPerSecond }
        }
        guard let usage, let listed = price(provider: provider, model: model) else { return nil }
        let price = listed.forPrompt(of: usage.inputTokens)
        let cached = min(usage.cachedInputTokens, usage.inputTokens)
        let fresh = Double(usage.inputTokens - cached) * price.inputPerMillion
        let cachedCost = Double(cached) * (price.cachedInputPerMillion ?? price.inputPerMillion)
        return (fresh + cachedCost + Double(usage.outputTokens) * price.outputPerMillion) / 1_000_000
    }
}
