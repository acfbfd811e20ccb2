/// How the engine runs a plan.
public struct EngineOptions: Sendable {
    /// At most this many steps run at once (a value below 1 counts as 1); nil for no limit.
    public var maxConcurrency: Int?
    /// The per-attempt time limit of steps without `timeout_s` (the seed's 30 s).
    public var defaultTimeout: Duration
    /// Where results with idempotency keys are kept; a fresh in-memory store when nil.
    public var idempotencyStore: IdempotencyStore?
    /// Draws the jitter factor of a retry delay; tests pin it to make delays exact.
    public var jitter: @Sendable () -> Double
    /// Called as each step ends (in the order they end), e.g. to show progress.
    public var onStepEnd: (@Sendable (StepRecord) -> Void)?
    /// Writes the final synthesis from the rendered template (the model the plan's
    /// `final_synthesis.meta.synthesis_model` names); nil keeps the rendered template.
    public var synthesisModel: MeteredModel?

    public init(maxConcurrency: Int? = nil, defaultTimeout: Duration = .seconds(30), idempotencyStore: IdempotencyStore? = nil,
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0.5...1) },
                onStepEnd: (@Sendable (StepRecord) -> Void)? = nil) {
        self.maxConcurrency = maxConcurrency
        self.defaultTimeout = defaultTimeout
        self.idempotencyStore = idempotencyStore
        self.jitter = jitter
        self.onStepEnd = onStepEnd
    }
}
