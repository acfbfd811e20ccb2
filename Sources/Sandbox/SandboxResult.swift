import OrchJSON

/// What a successful job produced.
public struct SandboxResult: Sendable, Equatable {
    /// The snippet's `output` (`null` if it never set it).
    public var output: JSONValue
    /// What the snippet printed, up to the stream cap.
    public var stdout: String
    public var stderr: String
    /// Time from fork to result, measured by the fork server.
    public var elapsed: Duration
    /// The layers that guarded this job.
    public var layers: SandboxLayers

    /// Reads the fork server's answer to one job.
    static func from(response: JSONValue, job: ResolvedJob, layers: SandboxLayers) -> Result<SandboxResult, SandboxError> {
        if let error = response["error"] {
            return .failure(SandboxError(serverError: error, job: job))
        }
        guard let output = response["output"] else {
            return .failure(.serverFailure("its answer has neither output nor error"))
        }
        return .success(SandboxResult(
            output: output,
            stdout: response["stdout"]?.stringValue ?? "",
            stderr: response["stderr"]?.stringValue ?? "",
            elapsed: .microseconds(Int64((response["elapsed_ms"]?.doubleValue ?? 0) * 1000)),
            layers: layers))
    }
}

extension SandboxError {
    /// Maps the fork server's `{"kind": ...}` error object to a case.
    init(serverError error: JSONValue, job: ResolvedJob) {
        let message = error["message"]?.stringValue ?? ""
        let line = error["line"]?.intValue
        switch error["kind"]?.stringValue {
        case "rejected": self = .rejected(reason: message, line: line)
        case "syntax_error": self = .syntaxError(message: message, line: line)
        case "python_error": self = .pythonError(type: error["type"]?.stringValue ?? "Exception", message: message, line: line)
        case "timeout": self = .timeout(limit: job.timeout)
        case "cpu_limit": self = .cpuLimit(seconds: job.cpuSeconds)
        case "memory_limit": self = .memoryLimit(bytes: job.memoryBytes)
        case "output_too_large":
            let stream = error["stream"]?.stringValue ?? "output"
            self = .outputTooLarge(stream: stream, limitBytes: stream == "output" ? job.outputLimitBytes : job.streamLimitBytes)
        case "non_json": self = .nonJSONOutput(type: error["type"]?.stringValue ?? "object", message: message)
        case "crashed": self = .crashed(message)
        case "cancelled": self = .cancelled
        default: self = .serverFailure(message.isEmpty ? "it reported an unknown error: \(error)" : message)
        }
    }
}
