/// Errors of the evaluator that are not about a suite file's content.
public enum EvalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration this build cannot run yet (e.g. a model planner before the planner
    /// exists), with the reason.
    case configurationUnavailable(configuration: String, reason: String)
    /// A file could not be read or written.
    case io(String)
    /// A report file that cannot be used.
    case badReport(file: String, reason: String)

    public var description: String {
        switch self {
        case .configurationUnavailable(let configuration, let reason):
            "configuration '\(configuration)' cannot run in this build: \(reason)"
        case .io(let message): message
        case .badReport(let file, let reason): "\(file): \(reason)"
        }
    }
}
