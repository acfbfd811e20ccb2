import Foundation

/// How a `PythonSandbox` runs jobs: pool size, the interpreter, and the limits a job gets when
/// it does not ask for its own. Per-job values are clamped to `SandboxLimits`.
public struct SandboxConfiguration: Sendable {
    /// Number of warm fork servers, which is also the number of jobs that run at once.
    public var poolSize: Int
    /// Path of the Python 3 interpreter; `nil` looks up `python3` on `PATH`.
    public var pythonExecutable: String?
    /// Wall-clock limit of a job that does not set its own.
    public var defaultTimeout: Duration
    /// Address-space limit of a job that does not set its own.
    public var defaultMemoryBytes: Int
    /// Largest serialized `output` a job may return.
    public var outputLimitBytes: Int
    /// Largest amount a job may print to stdout, and to stderr; a job that prints more is stopped.
    public var streamLimitBytes: Int
    /// Environment used only to find `python3`; jobs always run with an empty environment.
    public var environment: [String: String]
    /// Layers switched off, so tests can show what each remaining layer stops on its own.
    var disabledLayers: Set<SandboxLayer> = []
    /// Starts the fork servers as this user through `setpriv` (the host must be root), so that
    /// tests running as root can check the unprivileged path too.
    var serverUser: (uid: UInt32, gid: UInt32)?

    public init(poolSize: Int = SandboxConfiguration.defaultPoolSize,
                pythonExecutable: String? = nil,
                defaultTimeout: Duration = .seconds(10),
                defaultMemoryBytes: Int = 256 << 20,
                outputLimitBytes: Int = 1 << 20,
                streamLimitBytes: Int = 64 << 10,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.poolSize = max(1, poolSize)
        self.pythonExecutable = pythonExecutable
        self.defaultTimeout = defaultTimeout
        self.defaultMemoryBytes = defaultMemoryBytes
        self.outputLimitBytes = min(max(1, outputLimitBytes), SandboxLimits.maxOutputBytes)
        self.streamLimitBytes = min(max(0, streamLimitBytes), SandboxLimits.maxStreamBytes)
        self.environment = environment
    }

    public static let `default` = SandboxConfiguration()

    /// Twice the processor count, at least 2 and at most 8: jobs are short and mostly fork/exit.
    public static var defaultPoolSize: Int {
        min(8, max(2, ProcessInfo.processInfo.activeProcessorCount * 2))
    }
}

/// Hard bounds that no configuration or job can exceed.
public enum SandboxLimits {
    public static let minTimeout: Duration = .milliseconds(10)
    public static let maxTimeout: Duration = .seconds(120)
    /// Below this the interpreter itself (about 20 MB of address space) cannot run.
    public static let minMemoryBytes = 48 << 20
    public static let maxMemoryBytes = 4 << 30
    public static let maxCPUSeconds = 120
    public static let maxOutputBytes = 16 << 20
    public static let maxStreamBytes = 1 << 20
    public static let maxCodeBytes = 256 << 10
    public static let maxInputBytes = 16 << 20
    /// Longest message, type name or reason the host takes from a fork server's answer.
    public static let maxMessageCharacters = 2000
}
