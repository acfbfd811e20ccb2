import OrchJSON

/// A plan that passed validation, with its graph laid out by step index for the engine:
/// every dependency (explicit and implied by references), the references to resolve, and
/// the tool of each step.
public struct ValidatedPlan: Sendable {
    public let plan: Plan
    /// Dependencies that references implied but `depends_on` did not list (DESIGN.md §3:
    /// a reference implies a dependency; we add it rather than reject the plan).
    public let notes: [PlanProblem]
    let dependencies: [[Int]]
    let dependents: [[Int]]
    let references: [[LocatedReference]]
    let conditionReferences: [LocatedReference?]
    let tools: [any StepTool]

    init(plan: Plan, notes: [PlanProblem], dependencies: [[Int]], references: [[LocatedReference]],
         conditionReferences: [LocatedReference?], tools: [any StepTool]) {
        self.plan = plan
        self.notes = notes
        self.dependencies = dependencies
        self.references = references
        self.conditionReferences = conditionReferences
        self.tools = tools
        var dependents = Array(repeating: [Int](), count: plan.steps.count)
        for (step, deps) in dependencies.enumerated() {
            for dep in deps { dependents[dep].append(step) }
        }
        self.dependents = dependents
    }

    /// The longest chain of steps weighted by `duration(stepIndex)`: the least time any
    /// schedule can take with unlimited parallelism.
    public func criticalPath(_ duration: (Int) -> Duration) -> Duration {
        var finish = Array(repeating: Duration.zero, count: plan.steps.count)
        for step in topologicalOrder() {
            let start = dependencies[step].map { finish[$0] }.max() ?? .zero
            finish[step] = start + duration(step)
        }
        return finish.max() ?? .zero
    }

    /// Step indices so that every step comes after its dependencies.
    func topologicalOrder() -> [Int] {
        var remaining = dependencies.map(\.count)
        var order = remaining.indices.filter { remaining[$0] == 0 }
        var next = 0
        while next < order.count {
            for dependent in dependents[order[next]] {
                remaining[dependent] -= 1
                if remaining[dependent] == 0 { order.append(dependent) }
            }
            next += 1
        }
        return order
    }
}
