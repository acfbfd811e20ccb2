/// One thing wrong with a plan, located as precisely as the plan allows: the step (when there
/// is one) and the field inside it.
public struct PlanProblem: Sendable, Equatable, CustomStringConvertible {
    public var stepID: String?
    /// Dotted field path inside the step (or the plan when `stepID` is nil), e.g. `retry_policy.retries`.
    public var field: String
    public var message: String

    public init(stepID: String? = nil, field: String, message: String) {
        self.stepID = stepID
        self.field = field
        self.message = message
    }

    public var description: String {
        let place = [stepID.map { "step '\($0)'" }, field.isEmpty ? nil : field].compactMap { $0 }.joined(separator: ": ")
        return place.isEmpty ? message : "\(place): \(message)"
    }
}

/// A plan that cannot run, with every problem found (not just the first).
public struct PlanValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [PlanProblem]

    public init(problems: [PlanProblem]) { self.problems = problems }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "the plan has \(count):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
