import OrchJSON

/// A tool that can find problems in a step's input before the plan runs, beyond its input
/// schema (e.g. a function call naming an unknown function). Values that are step
/// references (`isStepReference`) are known only at run time and must not be judged.
public protocol InputChecking {
    func inputProblems(_ input: JSONValue) -> [InputProblem]
}

/// A problem with one value of a step's input; `path` is relative to the input.
public struct InputProblem: Sendable, Equatable {
    public var path: JSONPath
    public var message: String

    public init(path: JSONPath, message: String) {
        self.path = path
        self.message = message
    }
}

extension JSONValue {
    /// Whether this is a `step:ID…` reference, replaced by another step's output at run time.
    public var isStepReference: Bool { stringValue.map(StepReference.looksLikeReference) ?? false }
}
