/// An evaluation report (docs/suites.md, "Reports"): the source of truth that Markdown, JUnit
/// and the SVG chart render. Built from raw case results by `Report.build`, so `merge` and
/// `reprice` are that same function on other inputs.
public struct Report: Sendable, Equatable, Codable {
    public static let formatVersion = 1

    public var formatVersion: Int
    public var suite: String
    public var shard: String?
    /// Wall-clock time of the run (or the sum over merged shards); the one figure that
    /// differs between identical runs.
    public var wallClockMs: Double
    public var prices: PriceSheet
    public var thresholds: Thresholds
    public var configurations: [ConfigurationSummary]
    public var headline: HeadlineComparison
    /// Paired per-case differences, for each pair of configurations that share cases.
    public var pairs: [PairedComparison]
    /// Every case × configuration × trial, sorted by configuration (suite order), case, trial.
    public var cases: [CaseReport]

    enum CodingKeys: String, CodingKey {
        case suite, shard, prices, thresholds, configurations, headline, pairs, cases
        case formatVersion = "format_version", wallClockMs = "wall_clock_ms"
    }
}

/// One configuration's figures.
public struct ConfigurationSummary: Sendable, Equatable, Codable {
    public var configuration: Configuration
    /// Why it did not run, when it could not be built.
    public var unavailable: String?
    /// Case runs (cases × trials), and how many succeeded / failed / could not run.
    public var runs: Int
    public var succeeded: Int
    public var failed: Int
    public var errors: Int
    /// Per metric (`quality`, `success`, `plan_valid`, `node_f1`, `edge_f1`, `argument_f1`,
    /// `exact`, `cost_usd`, `virtual_ms`, `wall_ms`): mean over cases with its interval.
    public var metrics: [String: Estimate]
    /// `live`, `synthetic`, `none` (no model exchanges) or a `+`-joined mix.
    public var origin: String
    /// Mean cost per case run, by role (`planner`, `worker`, `synthesis`) and by model.
    public var costByRole: [String: Double]
    public var costByModel: [String: Double]
    /// Models used that the price table does not list (their cost counts as 0).
    public var unpriced: [String]

    enum CodingKeys: String, CodingKey {
        case configuration, unavailable, runs, succeeded, failed, errors, metrics, origin, unpriced
        case costByRole = "cost_by_role", costByModel = "cost_by_model"
    }
}

/// The paired difference `second − first` per case, for quality, cost and virtual latency.
public struct PairedComparison: Sendable, Equatable, Codable {
    public var first: String
    public var second: String
    public var differences: [String: Estimate]
    public var origin: String
}

/// The headline "candidate vs baseline" (two-model vs large-only by default).
public struct HeadlineComparison: Sendable, Equatable, Codable {
    public var baseline: String
    public var candidate: String
    /// Why there is no comparison (a configuration absent or without shared cases).
    public var unavailable: String?
    /// candidate / baseline mean cost, and mean virtual latency, with intervals.
    public var costRatio: Estimate?
    public var latencyRatio: Estimate?
    /// candidate − baseline mean quality, with its interval.
    public var qualityDifference: Estimate?
    public var origin: String?

    enum CodingKeys: String, CodingKey {
        case baseline, candidate, unavailable, origin
        case costRatio = "cost_ratio", latencyRatio = "latency_ratio", qualityDifference = "quality_difference"
    }
}

/// One case run: the raw result, its cost under the report's prices, its limits' outcomes.
public struct CaseReport: Sendable, Equatable, Codable {
    public var result: CaseResult
    public var cost: CostBreakdown
    public var limits: [AssertionOutcome]
    /// Succeeded, and every assertion and limit passed.
    public var passed: Bool
}
