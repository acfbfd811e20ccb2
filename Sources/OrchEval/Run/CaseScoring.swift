import Orchestrator
import OrchJSON

/// Turns an execution into the scored parts of a `CaseResult`: plan score, status, output
/// assertions, usage and virtual time.
enum CaseScoring {
    static func score(_ execution: CaseExecution, of suiteCase: SuiteCase, into result: inout CaseResult) {
        let golden: Plan
        do { golden = try Plan(json: suiteCase.goldenPlan) } catch {
            // The loader checks golden plans; a suite built in code may not have.
            result.status = .error
            result.error = "the case's golden plan cannot be read: \(error)"
            return
        }
        var plan = PlanScorer().score(golden: golden, predicted: execution.plan)
        if !execution.planProblems.isEmpty {
            plan.valid = false
            plan.exact = false
            plan.problems = execution.planProblems
        }
        result.plan = plan
        result.usage = execution.usage

        guard let run = execution.run else {
            result.status = .error
            result.error = "the plan is not valid: " + (plan.problems.first ?? "it was not run")
            return
        }
        result.status = run.status == .succeeded ? .succeeded : .failed
        result.failedSteps = run.steps.filter { $0.status == .failed || $0.status == .cancelled }.map(\.id)
        if let first = run.steps.first(where: { $0.error != nil && $0.status == .failed }), let error = first.error {
            result.error = "step '\(first.id)': \(error)"
        }
        let fallbacks = run.steps.compactMap { step in
            step.output?["fallback"].map { (step.id, $0["reason"]?.stringValue ?? $0.serialized()) }
        }
        result.fallbacks = fallbacks.isEmpty ? nil : Dictionary(fallbacks, uniquingKeysWith: { a, _ in a })
        let alignment = plan.alignment
        let outputs = CaseOutputs(stepOutputs: Dictionary(run.steps.compactMap { step in step.output.map { (step.id, $0) } }, uniquingKeysWith: { a, _ in a }),
                                  synthesis: execution.synthesis ?? run.synthesis,
                                  executedStep: { alignment.predicted(for: $0) })
        result.assertions = suiteCase.assertions.compactMap { AssertionEvaluator.evaluate($0, on: outputs) }

        let stepMs = run.steps.map { $0.metadata[MeasuredTool.metadataKey]?.doubleValue ?? 0 }
        result.stepVirtualMs = Dictionary(zip(run.steps.map(\.id), stepMs).filter { $0.1 > 0 }, uniquingKeysWith: { a, _ in a })
        let path = execution.validated.map { validated in
            validated.criticalPath { index in .milliseconds(index < stepMs.count ? stepMs[index] : 0) }
        } ?? .zero
        let pathMs = path.ms
        result.virtualMs = execution.plannerVirtualMs + pathMs + execution.synthesisVirtualMs
    }
}
