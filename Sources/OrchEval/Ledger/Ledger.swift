import OrchJSON

/// What one model exchange used: the counts a provider reports, and how long it took.
public struct UsageRecord: Sendable, Equatable, Codable {
    /// Which part of the run spent it.
    public enum Role: String, Sendable, Codable, CaseIterable { case planner, worker, synthesis }

    public var role: Role
    /// The plan step it served (worker usage), nil for the planner and the synthesis.
    public var stepID: String?
    /// `provider/model`, the key of the price table.
    public var model: String
    public var inputTokens: Int
    public var outputTokens: Int
    /// The exchange's recorded latency (virtual time in replay).
    public var latencyMs: Double

    public init(role: Role, stepID: String? = nil, model: String, inputTokens: Int, outputTokens: Int, latencyMs: Double) {
        self.role = role
        self.stepID = stepID
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.latencyMs = latencyMs
    }

    enum CodingKeys: String, CodingKey {
        case role, model
        case stepID = "step_id", inputTokens = "input_tokens", outputTokens = "output_tokens", latencyMs = "latency_ms"
    }
}

/// The price of one model: per million input and output tokens, plus compute time for local
/// models priced by the second (DESIGN.md §3 "Providers").
public struct TokenPrice: Sendable, Equatable, Codable {
    public var inputPerMillion: Double
    public var outputPerMillion: Double
    public var perSecond: Double

    public init(inputPerMillion: Double = 0, outputPerMillion: Double = 0, perSecond: Double = 0) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.perSecond = perSecond
    }

    /// US dollars for `usage` at this price.
    public func cost(of usage: UsageRecord) -> Double {
        Double(usage.inputTokens) * inputPerMillion / 1_000_000 + Double(usage.outputTokens) * outputPerMillion / 1_000_000
            + usage.latencyMs / 1000 * perSecond
    }

    enum CodingKeys: String, CodingKey {
        case inputPerMillion = "input_per_million", outputPerMillion = "output_per_million", perSecond = "per_second"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inputPerMillion = try c.decodeIfPresent(Double.self, forKey: .inputPerMillion) ?? 0
        outputPerMillion = try c.decodeIfPresent(Double.self, forKey: .outputPerMillion) ?? 0
        perSecond = try c.decodeIfPresent(Double.self, forKey: .perSecond) ?? 0
    }
}

/// Finds a model's price. The providers' price table conforms with one method; a test
/// double is a dictionary: `PriceSheet(models: ["openai/gpt-4o": TokenPrice(inputPerMillion: 2.5)])`.
public protocol PriceLookup: Sendable {
    /// The price of `model` (`provider/model`), or nil when the table does not list it.
    func price(ofModel model: String) -> TokenPrice?
}

/// A price table as a suite or `reprice --pricing FILE` gives it: models by `provider/model`,
/// and where the figures come from.
public struct PriceSheet: PriceLookup, Equatable, Codable {
    public var source: String
    public var models: [String: TokenPrice]

    public init(source: String = "", models: [String: TokenPrice] = [:]) {
        self.source = source
        self.models = models
    }

    public func price(ofModel model: String) -> TokenPrice? { models[model] }
}

/// A case's cost, summed three ways. Models missing from the price table cost nothing here
/// and are listed in `unpriced`, so a report never hides a gap in the table.
public struct CostBreakdown: Sendable, Equatable, Codable {
    public var totalUSD: Double
    public var byRole: [String: Double]
    public var byModel: [String: Double]
    public var byStep: [String: Double]
    public var unpriced: [String]

    public init(usage: [UsageRecord], prices: any PriceLookup) {
        var breakdown = (total: 0.0, role: [String: Double](), model: [String: Double](), step: [String: Double](), unpriced: Set<String>())
        for record in usage {
            guard let price = prices.price(ofModel: record.model) else {
                breakdown.unpriced.insert(record.model)
                continue
            }
            let cost = price.cost(of: record)
            breakdown.total += cost
            breakdown.role[record.role.rawValue, default: 0] += cost
            breakdown.model[record.model, default: 0] += cost
            if let step = record.stepID { breakdown.step[step, default: 0] += cost }
        }
        totalUSD = breakdown.total
        byRole = breakdown.role
        byModel = breakdown.model
        byStep = breakdown.step
        unpriced = breakdown.unpriced.sorted()
    }

    enum CodingKeys: String, CodingKey {
        case totalUSD = "total_usd", byRole = "by_role", byModel = "by_model", byStep = "by_step", unpriced
    }
}
