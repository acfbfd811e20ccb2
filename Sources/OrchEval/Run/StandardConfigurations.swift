import Orchestrator
import OrchJSON

/// The configurations this build runs by itself: the `golden` planner with `rules` workers
/// (the built-in receipt workers, functions and sandboxed code; no model exchanges). Any
/// other choice throws `configurationUnavailable`; a factory that knows model planners
/// handles those and hands the rest here.
public struct StandardConfigurations: ConfigurationFactory {
    public init() {}

    public func executor(for configuration: Configuration, suite: Suite) throws -> any CaseExecutor {
        guard configuration.planner == .golden else {
            throw EvalError.configurationUnavailable(configuration: configuration.name,
                reason: "planner '\(configuration.planner)' needs a model planner, which this build does not include; run the golden-planner configurations with --config")
        }
        guard configuration.workers.kind == .rules else {
            throw EvalError.configurationUnavailable(configuration: configuration.name,
                reason: "'\(configuration.workers.kind.rawValue)' workers need model workers, which this build does not include")
        }
        guard configuration.synthesis == nil else {
            throw EvalError.configurationUnavailable(configuration: configuration.name,
                reason: "a synthesis model ('\(configuration.synthesis!)') needs a model client, which this build does not include")
        }
        return GoldenRulesExecutor(ocrMode: configuration.ocrMode)
    }
}

/// Runs the case's golden plan with the standard tools.
struct GoldenRulesExecutor: CaseExecutor {
    var ocrMode: String?

    func execute(_ suiteCase: SuiteCase, context: CaseContext) async throws -> CaseExecution {
        var environment = context.environment
        if let ocrMode { environment["OCR_MODE"] = ocrMode }
        let catalog = MeasuredTool.measuring(try StandardTools.catalog(environment: environment))
        let validated: ValidatedPlan
        do {
            validated = try PlanValidator(catalog: catalog).validate(json: suiteCase.goldenPlan)
        } catch {
            return CaseExecution(plan: suiteCase.goldenPlan, planProblems: error.problems.map(\.description), validated: nil, run: nil)
        }
        let run = await PlanEngine().run(validated)
        return CaseExecution(plan: suiteCase.goldenPlan, validated: validated, run: run)
    }
}
