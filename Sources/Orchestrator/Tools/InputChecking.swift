import OrchJSON

/// A tool that can find problems in a step's input before the plan runs (e.g. a function
/// call naming an unknown function). Values at `references` are step references whose
/// values are unknown until the run, so they must not be judged.
public protocol InputChecking {
    func inputProblems(_ input: JSONValue, references: Set<JSONPath>) -> [InputProblem]
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
