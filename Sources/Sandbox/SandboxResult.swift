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

    /// Reads the fork server's answer to one job. Nothing in it is trusted: the shape is
    /// checked, streams are cut to their caps and messages to `SandboxLimits.maxMessageCharacters`,
    /// whatever the server (or a job that got hold of its channel) wrote.
    static func from(response: JSONValue, job: ResolvedJob, layers: SandboxLayers) -> Result<SandboxResult, SandboxError> {
        guard case .object = response else {
            return .failure(.serverFailure("its answer is not a JSON object"))
        }
        if let error = response["error"] {
            return .failure(SandboxError(serverError: error, job: job))
        }
        guard let output = response["output"] else {
            return .failure(.serverFailure("its answer has neither output nor error"))
        }
        let elapsed = response["elapsed_ms"]?.doubleValue ?? 0
        return .success(SandboxResult(
            output: output,
            stdout: Self.capped(response["stdout"], bytes: job.streamLimitBytes),
            stderr: Self.capped(response["stderr"], bytes: job.streamLimitBytes),
            elapsed: .microseconds(Int64(elapsed.isFinite ? min(max(elapsed, 0), 1e9) * 1000 : 0)),
            layers: layers))
    }

    /// A string field cut to at most `bytes` UTF-8 bytes (a character cut in two becomes U+FFFD).
    static func capped(_ value: JSONValue?, bytes: Int) -> String {
        guard let text = value?.stringValue else { return "" }
        return text.utf8.count <= bytes ? text : String(decoding: text.utf8.prefix(bytes), as: UTF8.self)
    }
}

extension SandboxError {
    /// Maps the fork server's `{"kind": ...}` error object to a case.
    init(serverError error: JSONValue, job: ResolvedJob) {
        let message = Self.clipped(error["message"]?.stringValue ?? "")
        let line = error["line"]?.intValue.flatMap { $0 > 0 ? $0 : nil }
        switch error["kind"]?.stringValue {
        case "rejected": self = .rejected(reason: message, line: line)
        case "syntax_error": self = .syntaxError(message: message, line: line)
        case "python_error": self = .pythonError(type: Self.clipped(error["type"]?.stringValue ?? "Exception"), message: message, line: line)
        case "timeout": self = .timeout(limit: job.timeout)
        case "cpu_limit": self = .cpuLimit(seconds: job.cpuSeconds)
        case "memory_limit": self = .memoryLimit(bytes: job.memoryBytes)
        case "output_too_large":
            let stream = error["stream"]?.stringValue ?? "output"
            self = .outputTooLarge(stream: stream, limitBytes: stream == "output" ? job.outputLimitBytes : job.streamLimitBytes)
        case "non_json": self = .nonJSONOutput(type: Self.clipped(error["type"]?.stringValue ?? "object"), message: message)
        case "crashed": self = .crashed(message)
        case "cancelled": self = .cancelled
        default:
            let unknown = Self.clipped(error.serialized(.compact))
            self = .serverFailure(message.isEmpty ? "it reported an unknown error: \(unknown)" : message)
        }
    }

    private static func clipped(_ text: String) -> String {
        text.count <= SandboxLimits.maxMessageCharacters ? text : String(text.prefix(SandboxLimits.maxMessageCharacters)) + "…"
    }
}
