import Foundation
import OrchJSON

/// List prices per provider and model, loaded from `Fixtures/pricing.json`:
///
/// ```json
/// {"version": 1,
///  "local_usd_per_second": 0,
///  "models": [{"provider": "openai", "model": "gpt-4o", "input_per_million": 2.5,
///              "output_per_million": 10, "cached_input_per_million": 1.25,
///              "source": "genai-prices 0.0.x", "date": "2026-12-02"}]}
/// ```
///
/// A model answers by its exact name or, failing that, by the longest listed name it starts
/// with followed by `-` (so the dated `gpt-4o-2024-08-06` is priced as `gpt-4o`).
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

        public init(provider: String, model: String, inputPerMillion: Double, outputPerMillion: Double,
                    cachedInputPerMillion: Double? = nil, source: String, date: String) {
            self.provider = provider
            self.model = model
            self.inputPerMillion = inputPerMillion
            self.outputPerMillion = outputPerMillion
            self.cachedInputPerMillion = cachedInputPerMillion
            self.source = source
            self.date = date
        }
    }

    /// Providers that run on this machine: priced by compute time, not tokens.
    public static let localProviders: Set<String> = ["ollama", "openai-compatible"]

    public var prices: [Price]
    /// USD per second of compute for local models (0 by default).
    public var localUSDPerSecond: Double

    public init(prices: [Price], localUSDPerSecond: Double = 0) {
        self.prices = prices
        self.localUSDPerSecond = localUSDPerSecond
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
            prices.append(Price(provider: provider, model: model, inputPerMillion: input, outputPerMillion: output,
                                cachedInputPerMillion: entry["cached_input_per_million"]?.doubleValue,
                                source: entry["source"]?.stringValue ?? "", date: entry["date"]?.stringValue ?? ""))
        }
        self.init(prices: prices, localUSDPerSecond: json["local_usd_per_second"]?.doubleValue ?? 0)
    }

    /// The price of `model` at `provider`, nil when unlisted.
    public func price(provider: String, model: String) -> Price? {
        let listed = prices.filter { $0.provider == provider }
        if let exact = listed.first(where: { $0.model == model }) { return exact }
        return listed.filter { model.hasPrefix($0.model + "-") }.max { $0.model.count < $1.model.count }
    }

    /// The cost in USD of `usage` at list price; nil when the usage or the price is unknown.
    /// Local providers cost `localUSDPerSecond` × `computeSeconds` (zero by default).
    public func cost(provider: String, model: String, usage: TokenUsage?, computeSeconds: Double? = nil) -> Double? {
        if Self.localProviders.contains(provider) {
            return localUSDPerSecond == 0 ? 0 : computeSeconds.map { $0 * localUSDPerSecond }
        }
        guard let usage, let price = price(provider: provider, model: model) else { return nil }
        let cached = min(usage.cachedInputTokens, usage.inputTokens)
        let fresh = Double(usage.inputTokens - cached) * price.inputPerMillion
        let cachedCost = Double(cached) * (price.cachedInputPerMillion ?? price.inputPerMillion)
        return (fresh + cachedCost + Double(usage.outputTokens) * price.outputPerMillion) / 1_000_000
    }
}
