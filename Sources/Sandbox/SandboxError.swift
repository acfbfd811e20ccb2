import OrchJSON

/// Why a job produced no output. Every case is data for the plan author: `description` says
/// what happened and what to do, `code` is a stable short name, `details` the facts.
public enum SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No usable Python 3 interpreter.
    case pythonUnavailable(String)
    /// The fork server could not start or stopped answering.
    case serverFailure(String)
    /// The job itself is unusable (too much code, too much input).
    case invalidJob(String)
    /// The static check refused the code before it ran.
    case rejected(reason: String, line: Int?)
    /// The code does not parse.
    case syntaxError(message: String, line: Int?)
    /// The code raised an exception.
    case pythonError(type: String, message: String, line: Int?)
    /// The wall-clock deadline passed; the job's process group was killed.
    case timeout(limit: Duration)
    /// The job used up its CPU seconds.
    case cpuLimit(seconds: Int)
    /// The job ran out of its address space.
    case memoryLimit(bytes: Int)
    /// The job printed or returned more than allowed; `stream` is "stdout", "stderr" or "output".
    case outputTooLarge(stream: String, limitBytes: Int)
    /// `output` is not JSON (a set, an object, NaN, ...).
    case nonJSONOutput(type: String, message: String)
    /// The job died without a result (a signal, a crash).
    case crashed(String)
    /// The caller's task was cancelled; the job was killed.
    case cancelled

    /// A short stable name for the kind of failure.
    public var code: String {
        switch self {
        case .pythonUnavailable: "python_unavailable"
        case .serverFailure: "sandbox_failure"
        case .invalidJob: "invalid_input"
        case .rejected: "sandbox_rejected"
        case .syntaxError: "syntax_error"
        case .pythonError: "python_error"
        case .timeout: "timeout"
        case .cpuLimit: "cpu_limit"
        case .memoryLimit: "memory_limit"
        case .outputTooLarge: "output_too_large"
        case .nonJSONOutput: "non_json_output"
        case .crashed: "crashed"
        case .cancelled: "cancelled"
        }
    }

    public var description: String {
        switch self {
        case .pythonUnavailable(let why):
            "Python 3 is not available: \(why). Install python3 (e.g. `apt-get install python3`) or set the interpreter path in SandboxConfiguration."
        case .serverFailure(let why):
            "The sandbox's Python fork server failed: \(why). The job did not run; trying again starts a new server."
        case .invalidJob(let why):
            "The code_exec job cannot be run: \(why)."
        case .rejected(let reason, let line):
            "The sandbox refused the code\(Self.at(line)): \(reason)."
        case .syntaxError(let message, let line):
            "The code has a syntax error\(Self.at(line)): \(message)."
        case .pythonError(let type, let message, let line):
            "The code raised \(type)\(Self.at(line))\(message.isEmpty ? "" : ": \(message)")."
        case .timeout(let limit):
            "The code ran longer than its \(Self.format(limit)) time limit and was stopped; make it faster or raise timeout_s."
        case .cpuLimit(let seconds):
            "The code used more than its \(seconds) s of CPU time and was stopped."
        case .memoryLimit(let bytes):
            "The code ran out of its \(bytes >> 20) MiB memory limit (MemoryError); work on smaller data or raise the limit."
        case .outputTooLarge(let stream, let limit):
            "The code's \(stream) exceeded its \(limit) byte limit and the job was stopped."
        case .nonJSONOutput(let type, let message):
            "`output` must be JSON (dict, list, str, number, bool or None) but is a \(type): \(message)."
        case .crashed(let why):
            "The code's process died without a result: \(why)."
        case .cancelled:
            "The job was cancelled and its process killed."
        }
    }

    /// The facts of the failure as JSON, for a step error's details.
    public var details: JSONValue {
        switch self {
        case .pythonUnavailable(let why), .serverFailure(let why), .invalidJob(let why), .crashed(let why):
            ["reason": .string(why)]
        case .rejected(let reason, let line):
            ["reason": .string(reason), "line": Self.json(line)]
        case .syntaxError(let message, let line):
            ["message": .string(message), "line": Self.json(line)]
        case .pythonError(let type, let message, let line):
            ["type": .string(type), "message": .string(message), "line": Self.json(line)]
        case .timeout(let limit):
            ["limit_s": .number(limit.seconds)]
        case .cpuLimit(let seconds):
            ["limit_cpu_s": .number(Double(seconds))]
        case .memoryLimit(let bytes):
            ["limit_bytes": .number(Double(bytes))]
        case .outputTooLarge(let stream, let limit):
            ["stream": .string(stream), "limit_bytes": .number(Double(limit))]
        case .nonJSONOutput(let type, let message):
            ["type": .string(type), "message": .string(message)]
        case .cancelled:
            [:]
        }
    }

    private static func at(_ line: Int?) -> String {
        line.map { " at line \($0)" } ?? ""
    }

    private static func json(_ line: Int?) -> JSONValue {
        line.map { .number(Double($0)) } ?? .null
    }

    private static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        return seconds.rounded() == seconds ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
