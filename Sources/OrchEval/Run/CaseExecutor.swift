import Cassettes
import Orchestrator
import OrchJSON

/// Runs one case under one configuration: plan (or take the golden plan), execute, synthesise.
/// The runner scores what comes back; an executor never scores.
///
/// A test double returns a fixed execution:
/// ```swift
/// struct Fixed: CaseExecutor {
///     let execution: CaseExecution
///     func execute(_ suiteCase: SuiteCase, context: CaseContext) async throws -> CaseExecution { execution }
/// }
/// ```
public protocol CaseExecutor: Sendable {
    /// Throw for a case that cannot run at all (the runner records the error and goes on).
    func execute(_ suiteCase: SuiteCase, context: CaseContext) async throws -> CaseExecution
}

/// Builds the executor of a configuration. `StandardConfigurations` builds `golden` + `rules`;
/// model planners and workers plug in by wrapping it (see docs/suites.md, "Configurations").
public protocol ConfigurationFactory: Sendable {
    /// - Throws: `EvalError.configurationUnavailable` naming what this build lacks.
    func executor(for configuration: Configuration, suite: Suite) throws -> any CaseExecutor
}

/// What the runner hands an executor for one case.
public struct CaseContext: Sendable {
    /// The case's own cassette (`<cassettes>/<configuration>/<case>.json`); every model
    /// exchange must go through it. Its replay latency advances `clock`.
    public var transport: any HTTPTransport
    public var clock: VirtualClock
    public var environment: [String: String]

    public init(transport: any HTTPTransport, clock: VirtualClock, environment: [String: String]) {
        self.transport = transport
        self.clock = clock
        self.environment = environment
    }
}

/// What an executor produced for one case.
public struct CaseExecution: Sendable {
    /// The plan that was run (the golden one, or the planner's answer as JSON).
    public var plan: JSONValue
    /// Why the plan failed validation; empty for a valid plan.
    public var planProblems: [String]
    /// The validated plan, for the critical path; nil when it did not validate.
    public var validated: ValidatedPlan?
    /// The engine's result; nil when the plan did not run.
    public var run: RunResult?
    public var usage: [UsageRecord]
    /// Recorded latency of the planner's and the synthesis' exchanges, in milliseconds.
    public var plannerVirtualMs: Double
    public var synthesisVirtualMs: Double
    /// The final answer; the run's rendered template when nil.
    public var synthesis: String?

    public init(plan: JSONValue, planProblems: [String] = [], validated: ValidatedPlan?, run: RunResult?, usage: [UsageRecord] = [],
                plannerVirtualMs: Double = 0, synthesisVirtualMs: Double = 0, synthesis: String? = nil) {
        self.plan = plan
        self.planProblems = planProblems
        self.validated = validated
        self.run = run
        self.usage = usage
        self.plannerVirtualMs = plannerVirtualMs
        self.synthesisVirtualMs = synthesisVirtualMs
        self.synthesis = synthesis
    }
}
