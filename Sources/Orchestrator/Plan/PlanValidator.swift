import OrchJSON

/// Checks a decoded plan against itself and the tool catalog, and reports every problem at
/// once: duplicate ids, unknown tools, dangling or self dependencies, references to unknown
/// steps, cycles (naming the steps in each), and input the tool rejects.
public struct PlanValidator: Sendable {
    public var catalog: ToolCatalog

    public init(catalog: ToolCatalog) { self.catalog = catalog }

    /// Decodes and validates in one pass, so that a plan with a mistyped field also gets its
    /// graph and tool problems reported, all at once.
    public func validate(json: JSONValue) throws(PlanValidationError) -> ValidatedPlan {
        let (plan, decodingProblems, decodingNotes) = Plan.decode(json)
        guard let plan else { throw PlanValidationError(problems: decodingProblems) }
        do {
            let validated = try validate(plan, knownProblems: decodingProblems, knownNotes: decodingNotes)
            return validated
        } catch {
            throw PlanValidationError(problems: decodingProblems + error.problems)
        }
    }

    public func validate(_ plan: Plan) throws(PlanValidationError) -> ValidatedPlan {
        try validate(plan, knownProblems: [], knownNotes: [])
    }

    /// `knownProblems` from decoding make the plan invalid even when its graph is sound;
    /// `knownNotes` (fields decoding ignored) come first among the notes.
    private func validate(_ plan: Plan, knownProblems: [PlanProblem], knownNotes: [PlanProblem]) throws(PlanValidationError) -> ValidatedPlan {
        var problems: [PlanProblem] = []
        var notes = knownNotes
        var indexByID: [String: Int] = [:]
        for (index, step) in plan.steps.enumerated() {
            // A reference ends at the first space, so `step:my step` could never name this step.
            if step.id.isEmpty {
                problems.append(PlanProblem(stepID: step.id, field: "id", message: "ids cannot be empty"))
            } else if step.id.containsWhitespace {
                problems.append(PlanProblem(stepID: step.id, field: "id", message: "ids cannot contain spaces: a reference 'step:ID' ends at the first space; use '-' or '_' instead"))
            }
            if indexByID[step.id] != nil {
                problems.append(PlanProblem(stepID: step.id, field: "id", message: "the id '\(step.id)' is used by more than one step; ids must be unique"))
            } else {
                indexByID[step.id] = index
            }
        }
        let ids = Set(indexByID.keys)

        var tools: [any StepTool] = []
        var dependencies: [[Int]] = []
        var references: [[LocatedReference]] = []
        var conditionReferences: [LocatedReference?] = []
        // Per tool, once: its compiled input schema (nil when it does not compile) and its own
        // input check (a dynamic cast per step cost more than checking many inputs).
        var checks: [String: (schema: JSONSchema?, checking: (any InputChecking)?)] = [:]
        for step in plan.steps {
            var deps: [Int] = []
            func addDependency(_ id: String) {
                if let dep = indexByID[id], !deps.contains(dep) { deps.append(dep) }
            }
            for id in step.dependsOn {
                if id == step.id {
                    problems.append(PlanProblem(stepID: step.id, field: "depends_on", message: "the step depends on itself"))
                } else if indexByID[id] == nil {
                    problems.append(PlanProblem(stepID: step.id, field: "depends_on", message: "depends on '\(id)', which is not a step of this plan\(didYouMean(id, in: ids))"))
                } else {
                    addDependency(id)
                }
            }
            let explicit = Set(step.dependsOn)
            var noted: Set<String> = []  // one note per implied dependency, however often it is referenced
            func checkReference(_ text: String, at location: JSONPath, field: String) -> LocatedReference? {
                guard let reference = StepReference.parse(text, stepIDs: ids) else {
                    problems.append(PlanProblem(stepID: step.id, field: field, message: "'\(text)' refers to no step of this plan\(didYouMean(String(text.dropFirst(5)), in: ids))"))
                    return nil
                }
                if reference.stepID == step.id {
                    problems.append(PlanProblem(stepID: step.id, field: field, message: "'\(text)' refers to the step's own output"))
                    return nil
                }
                if !explicit.contains(reference.stepID), !noted.contains(reference.stepID) {
                    noted.insert(reference.stepID)
                    notes.append(PlanProblem(stepID: step.id, field: field, message: "refers to step '\(reference.stepID)', which depends_on does not list; added as a dependency"))
                }
                addDependency(reference.stepID)
                return indexByID[reference.stepID].map { LocatedReference(location: location, reference: reference, source: $0) }
            }
            var located: [LocatedReference] = []
            for (location, text) in step.input.referenceStrings() {
                if let reference = checkReference(text, at: location, field: "input.\(location)") {
                    located.append(reference)
                }
            }
            conditionReferences.append(step.runIf.flatMap { checkReference($0.referenceText, at: JSONPath(segments: []), field: "run_if") })
            references.append(located)
            dependencies.append(deps)

            if let tool = catalog.tool(named: step.tool) {
                tools.append(tool)
                let check = checks[step.tool] ?? {
                    let made = (schema: try? JSONSchema(tool.descriptor.inputSchema), checking: tool as? any InputChecking)
                    checks[step.tool] = made
                    return made
                }()
                let checked = check.checking?.inputProblems(step.input) ?? []
                // A tool's own message about a value replaces the schema's about the same value.
                let inputProblems = (check.schema?.violations(of: step.input) ?? [])
                    .filter { violation in !located.contains { JSONPath(violation.path).starts(with: $0.location) } }
                    .map { InputProblem(path: JSONPath($0.path), message: $0.message) }
                    .filter { violation in !checked.contains { $0.path == violation.path } } + checked
                for problem in inputProblems {
                    let field = problem.path.segments.isEmpty ? "input" : "input.\(problem.path)"
                    problems.append(PlanProblem(stepID: step.id, field: field, message: problem.message))
                }
            } else if let choices = catalog.ambiguity(of: step.tool) {
                problems.append(PlanProblem(stepID: step.id, field: "tool", message: "the tool name '\(step.tool)' is ambiguous: several MCP servers offer it; name one of \(choices.map { "'\($0)'" }.joined(separator: ", "))"))
            } else {
                problems.append(PlanProblem(stepID: step.id, field: "tool", message: "unknown tool '\(step.tool)'\(didYouMean(step.tool, in: Set(catalog.names))); available: \(catalog.names.joined(separator: ", "))"))
            }
        }

        if problems.isEmpty, knownProblems.isEmpty {
            problems += cycles(in: dependencies).map { cycle in
                let names = (cycle + [cycle[0]]).map { plan.steps[$0].id }
                return PlanProblem(stepID: names[0], field: "depends_on", message: "dependency cycle: \(names.joined(separator: " → ")) (each step waits for the next)")
            }
        }
        guard problems.isEmpty, knownProblems.isEmpty else { throw PlanValidationError(problems: problems) }
        return ValidatedPlan(plan: plan, notes: notes, dependencies: dependencies, references: references,
                             conditionReferences: conditionReferences, tools: tools)
    }

    /// Each cycle once, as step indices in dependency order (each waits for the next).
    /// Steps that merely depend on a cycle are not reported as part of it.
    func cycles(in dependencies: [[Int]]) -> [[Int]] {
        var dependents = Array(repeating: [Int](), count: dependencies.count)
        for (step, deps) in dependencies.enumerated() { for dep in deps { dependents[dep].append(step) } }
        var pending = dependencies.map(\.count)
        var unresolved = Set(dependencies.indices)
        // Kahn's algorithm: settle every step whose dependencies all settle; what is left sits on or behind a cycle.
        func settle(_ ready: [Int]) {
            var ready = ready
            while let step = ready.popLast() {
                unresolved.remove(step)
                for dependent in dependents[step] where unresolved.contains(dependent) {
                    pending[dependent] -= 1
                    if pending[dependent] == 0 { ready.append(dependent) }
                }
            }
        }
        settle(dependencies.indices.filter { pending[$0] == 0 })
        var found: [[Int]] = []
        while let start = unresolved.min() {
            var path: [Int] = []
            var position: [Int: Int] = [:]
            var current = start
            while position[current] == nil {
                position[current] = path.count
                path.append(current)
                // Every unresolved step has an unresolved dependency, or Kahn would have settled it.
                current = dependencies[current].first(where: unresolved.contains)!
            }
            let cycle = Array(path[position[current]!...])
            found.append(cycle)
            // Count the cycle as settled so that steps waiting only on it are not reported again.
            for step in cycle { unresolved.remove(step); pending[step] = 0 }
            var ready: [Int] = []
            for step in cycle {
                for dependent in dependents[step] where unresolved.contains(dependent) {
                    pending[dependent] -= 1
                    if pending[dependent] == 0 { ready.append(dependent) }
                }
            }
            settle(ready)
        }
        return found
    }

}

/// ` (did you mean 'x'?)` for a misspelt id, tool or field name, or "" when nothing is close.
func didYouMean(_ name: String, in candidates: Set<String>) -> String {
    guard name.count >= 3 else { return "" }  // any one-letter id is "close" to any other
    let close = candidates.filter { editDistance($0, name) <= max(1, name.count / 4) }.sorted()
    return close.isEmpty ? "" : " (did you mean '\(close[0])'?)"
}
