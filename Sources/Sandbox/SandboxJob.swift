import OrchJSON

/// One snippet to run: `code` reads the global `input` and sets the global `output`.
public struct SandboxJob: Sendable, Equatable {
    public var code: String
    public var input: JSONValue
    /// Wall-clock limit; `nil` uses the configuration's default. Clamped to `SandboxLimits`.
    public var timeout: Duration?
    /// Address-space limit; `nil` uses the configuration's default. Clamped to `SandboxLimits`.
    public var memoryLimitBytes: Int?
    /// CPU-time limit; `nil` means the timeout rounded up to whole seconds, plus one.
    public var cpuSeconds: Int?

    public init(code: String, input: JSONValue = .null, timeout: Duration? = nil,
                memoryLimitBytes: Int? = nil, cpuSeconds: Int? = nil) {
        self.code = code
        self.input = input
        self.timeout = timeout
        self.memoryLimitBytes = memoryLimitBytes
        self.cpuSeconds = cpuSeconds
    }
}

/// A job with every limit decided, as the fork server receives it.
struct ResolvedJob: Sendable {
    var code: String
    var input: JSONValue
    var timeout: Duration
    var memoryBytes: Int
    var cpuSeconds: Int
    var outputLimitBytes: Int
    var streamLimitBytes: Int

    init(_ job: SandboxJob, configuration: SandboxConfiguration) throws(SandboxError) {
        if job.code.utf8.count > SandboxLimits.maxCodeBytes {
            throw .invalidJob("the code is \(job.code.utf8.count) bytes; the limit is \(SandboxLimits.maxCodeBytes) bytes")
        }
        code = job.code
        input = job.input
        timeout = min(max(job.timeout ?? configuration.defaultTimeout, SandboxLimits.minTimeout), SandboxLimits.maxTimeout)
        memoryBytes = min(max(job.memoryLimitBytes ?? configuration.defaultMemoryBytes, SandboxLimits.minMemoryBytes),
                          SandboxLimits.maxMemoryBytes)
        let wholeSeconds = Int(timeout.components.seconds) + (timeout.components.attoseconds > 0 ? 1 : 0)
        // One second beyond the deadline, so a busy loop meets the (clearer) wall-clock timeout
        // first and the CPU limit stays a backstop.
        cpuSeconds = min(max(job.cpuSeconds ?? wholeSeconds + 1, 1), SandboxLimits.maxCPUSeconds)
        outputLimitBytes = configuration.outputLimitBytes
        streamLimitBytes = configuration.streamLimitBytes
    }

    /// One line of the fork server's protocol.
    func requestLine() throws(SandboxError) -> [UInt8] {
        let request: JSONValue = [
            "code": .string(code),
            "input": input,
            "timeout_s": .number(timeout.seconds),
            "cpu_seconds": .number(Double(cpuSeconds)),
            "memory_bytes": .number(Double(memoryBytes)),
            "output_max": .number(Double(outputLimitBytes)),
            "stdout_max": .number(Double(streamLimitBytes)),
            "stderr_max": .number(Double(streamLimitBytes)),
        ]
        var bytes = Array(request.serialized(.compact).utf8)
        if bytes.count > SandboxLimits.maxInputBytes + SandboxLimits.maxCodeBytes {
            throw .invalidJob("the input is \(bytes.count) bytes as JSON; the limit is \(SandboxLimits.maxInputBytes) bytes")
        }
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
