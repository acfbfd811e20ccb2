import OrchJSON

/// How one assertion fared on one case: what it expected, what it found, and a score in
/// 0…1 (1 or 0, except item-list F1, which scores its F1).
public struct AssertionOutcome: Sendable, Equatable, Codable {
    public var name: String
    public var kind: String
    public var passed: Bool
    public var score: Double
    public var expected: JSONValue
    /// What the selector found; nil when it found nothing.
    public var actual: JSONValue?
    /// Why it failed, in a sentence; empty when it passed.
    public var message: String

    public init(name: String, kind: String, passed: Bool, score: Double, expected: JSONValue, actual: JSONValue?, message: String = "") {
        self.name = name
        self.kind = kind
        self.passed = passed
        self.score = score
        self.expected = expected
        self.actual = actual
        self.message = message
    }
}

/// What output assertions can look at: every step's output (by the executed plan's step
/// ids), the synthesis, and the alignment from golden to executed steps.
public struct CaseOutputs: Sendable {
    public var stepOutputs: [String: JSONValue]
    public var synthesis: String?
    /// The executed step aligned with a golden step id (identity for the golden plan).
    public var executedStep: @Sendable (String) -> String?

    public init(stepOutputs: [String: JSONValue], synthesis: String?, executedStep: @escaping @Sendable (String) -> String?) {
        self.stepOutputs = stepOutputs
        self.synthesis = synthesis
        self.executedStep = executedStep
    }

    /// The value `selector` names, or why there is none.
    func select(_ selector: Selector) -> Result<JSONValue, SelectionError> {
        guard let golden = selector.stepID else {
            guard let synthesis else { return .failure(SelectionError(reason: "the run has no synthesis")) }
            return selector.path.segments.isEmpty ? .success(.string(synthesis))
                : .failure(SelectionError(reason: "the synthesis is text; select it whole"))
        }
        guard let executed = executedStep(golden) else {
            return .failure(SelectionError(reason: "no executed step is aligned with golden step '\(golden)'"))
        }
        guard let output = stepOutputs[executed] else {
            return .failure(SelectionError(reason: "step '\(executed)' has no output (it failed or did not run)"))
        }
        do { return .success(try output.value(at: selector.path)) } catch {
            return .failure(SelectionError(reason: "step '\(executed)' output: \(error)"))
        }
    }

    struct SelectionError: Error { var reason: String }
}
