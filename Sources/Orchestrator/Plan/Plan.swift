import OrchJSON

/// An execution plan in the seed's JSON format (DESIGN.md §3 "Plans"): steps that form a DAG,
/// and an optional template for the final summary.
public struct Plan: Sendable, Equatable {
    public var requestID: String
    public var steps: [PlanStep]
    public var finalSynthesis: FinalSynthesis?

    public init(requestID: String, steps: [PlanStep], finalSynthesis: FinalSynthesis? = nil) {
        self.requestID = requestID
        self.steps = steps
        self.finalSynthesis = finalSynthesis
    }
}

/// One node of the plan: which tool to call with which input, after which steps.
public struct PlanStep: Sendable, Equatable {
    public var id: String
    public var tool: String
    /// The tool's input; strings of the form `step:ID` or `step:ID.path` are references.
    public var input: JSONValue
    /// Explicit dependencies. References in `input` and `run_if` add implicit ones.
    public var dependsOn: [String]
    public var mode: StepMode
    public var idempotencyKey: String?
    public var retryPolicy: RetryPolicy
    public var runIf: RunCondition?
    /// Per-attempt time limit; `nil` means the engine's default.
    public var timeout: Duration?

    public init(id: String, tool: String, input: JSONValue = [:], dependsOn: [String] = [], mode: StepMode = .parallel,
                idempotencyKey: String? = nil, retryPolicy: RetryPolicy = .init(), runIf: RunCondition? = nil,
                timeout: Duration? = nil) {
        self.id = id
        self.tool = tool
        self.input = input
        self.dependsOn = dependsOn
        self.mode = mode
        self.idempotencyKey = idempotencyKey
        self.retryPolicy = retryPolicy
        self.runIf = runIf
        self.timeout = timeout
    }
}

/// `parallel` steps run as soon as their dependencies finish. `sequential` steps also do, but
/// never two at once: they share one lane and take it in the order they become ready.
public enum StepMode: String, Sendable, Equatable, CaseIterable {
    case parallel
    case sequential
}

/// `retries` keeps the seed's meaning: the total number of attempts (1 = no retry).
/// Attempt n+1 waits `backoff_s × 2^(n-1)`, capped at `max_backoff_s`, scaled by a random
/// factor in 0.5…1 (jitter); a tool's `Retry-After` is honoured when it asks for longer.
public struct RetryPolicy: Sendable, Equatable {
    public var attempts: Int
    public var backoff: Duration
    public var maxBackoff: Duration

    public init(attempts: Int = 1, backoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30)) {
        self.attempts = attempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }
}

/// How the run's summary is written: `{{steps}}` in the template becomes the step outputs.
public struct FinalSynthesis: Sendable, Equatable {
    public var promptTemplate: String
    public var meta: [String: JSONValue]

    public init(promptTemplate: String, meta: [String: JSONValue] = [:]) {
        self.promptTemplate = promptTemplate
        self.meta = meta
    }
}
