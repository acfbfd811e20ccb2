/// A suite file that cannot be used: every problem found, each naming the case and field.
public struct SuiteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var problems: [String]

    public init(file: String, problems: [String]) {
        self.file = file
        self.problems = problems
    }

    public var description: String {
        problems.count == 1 ? "\(file): \(problems[0])"
            : "\(file): \(problems.count) problems:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
