import OrchJSON

/// Errors of the evaluator that are not about a suite file's content.
public enum EvalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration this build cannot run yet (e.g. a model planner before the planner
    /// exists), with the reason.
    case configurationUnavailable(configuration: String, reason: String)
    /// A file could not be read or written.
    case io(String)
    /// A report file that cannot be used.
    case badReport(file: String, reason: String)
    /// A report file that breaks `ReportSchema` (docs/report.schema.json): every violation.
    case reportViolations(file: String, violations: [SchemaViolation])

    /// How many violations `description` lists before it counts the rest.
    private static let shownViolations = 10

    public var description: String {
        switch self {
        case .configurationUnavailable(let configuration, let reason):
            "configuration '\(configuration)' cannot run in this build: \(reason)"
        case .io(let message): message
        case .badReport(let file, let reason): "\(file): \(reason)"
        case .reportViolations(let file, let violations):
            // One line each, so the CLI prints each as an error of its own.
            (violations.prefix(Self.shownViolations).map { "\(file): \($0)" }
                + (violations.count > Self.shownViolations ? ["\(file): … \(violations.count - Self.shownViolations) more"] : []))
                .joined(separator: "\n")
        }
    }
}
