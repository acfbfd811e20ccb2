/// What running one case under one configuration produced, as raw facts: the results file
/// holds one of these per line, and reports are computed from them (so `merge` and
/// `reprice` need nothing else).
public struct CaseResult: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Every step succeeded (or was skipped by its `run_if`).
        case succeeded
        /// The plan ran but a step failed.
        case failed
        /// The case could not run: no plan, an invalid plan, a missing cassette entry, …
        case error
    }

    public var configuration: String
    public var caseID: String
    /// 1-based trial number (`--repeat N`).
    public var trial: Int
    public var status: Status
    /// Why the case failed or could not run.
    public var error: String?
    public var failedSteps: [String]
    public var tags: [String]
    /// Nil when no plan came back to score.
    public var plan: PlanScore?
    /// Output assertions; limits are evaluated from `limits` when the report is built.
    public var assertions: [AssertionOutcome]
    public var limits: [Limit]
    public var usage: [UsageRecord]
    /// The plan's critical path over recorded exchange latencies, plus planner and synthesis.
    public var virtualMs: Double
    /// Each step's recorded exchange latency (the critical path's weights); empty when no
    /// step replayed any.
    public var stepVirtualMs: [String: Double] = [:]
    public var wallMs: Double
    /// Worker steps whose model answer was refused, with the reason: those steps' outputs are
    /// the rules' fallback (nil when no step fell back), so a worker model's accuracy is read apart.
    public var fallbacks: [String: String]?
    /// Whether the figures rest on `live` or `synthetic` cassettes, or on `none` (no exchanges).
    public var origin: Origin
    /// True when the case could not run because its cassette holds no recording of a request
    /// it made (a stale cassette, not a model's result); nil otherwise.
    public var cassetteMiss: Bool?

    public enum Origin: String, Sendable, Codable, Comparable {
        case live, synthetic, none
        public static func < (a: Origin, b: Origin) -> Bool { a.rawValue < b.rawValue }
    }

    public init(configuration: String, caseID: String, trial: Int, status: Status, error: String? = nil, failedSteps: [String] = [],
                tags: [String] = [], plan: PlanScore? = nil, assertions: [AssertionOutcome] = [], limits: [Limit] = [],
                usage: [UsageRecord] = [], virtualMs: Double = 0, wallMs: Double = 0, origin: Origin = .none) {
        self.configuration = configuration
        self.caseID = caseID
        self.trial = trial
        self.status = status
        self.error = error
        self.failedSteps = failedSteps
        self.tags = tags
        self.plan = plan
        self.assertions = assertions
        self.limits = limits
        self.usage = usage
        self.virtualMs = virtualMs
        self.wallMs = wallMs
        self.origin = origin
    }

    /// Identifies the run of a case: configuration, case and trial.
    public var key: String { "\(configuration)\u{1F}\(caseID)\u{1F}\(trial)" }

    /// The case's output quality in 0…1: the mean score of its output assertions (a case
    /// without any scores 1 when it succeeded); 0 when it could not run.
    public var quality: Double {
        guard status != .error else { return 0 }
        guard !assertions.isEmpty else { return status == .succeeded ? 1 : 0 }
        return assertions.map(\.score).reduce(0, +) / Double(assertions.count)
    }

    enum CodingKeys: String, CodingKey {
        case configuration, trial, status, error, tags, plan, assertions, limits, usage, origin
        case caseID = "case", failedSteps = "failed_steps", virtualMs = "virtual_ms", wallMs = "wall_ms", stepVirtualMs = "step_virtual_ms", fallbacks
        case cassetteMiss = "cassette_miss"
    }
}
