import Foundation

/// Runs a program and returns its standard output: how the Azure client asks the `az` CLI for
/// a token. Tests inject a fake, or put a fake `az` script on PATH.
public struct CommandRunner: Sendable {
    /// The outcome of one run.
    public struct Output: Sendable, Equatable {
        public var status: Int32
        public var stdout: Data
        public var stderr: Data
        public init(status: Int32, stdout: Data, stderr: Data = Data()) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// Runs `program` (looked up on PATH) with `arguments`; throws when it cannot be started
    /// (`CommandRunner.NotFound` when it is not on PATH).
    public var run: @Sendable (_ program: String, _ arguments: [String]) async throws -> Output

    public init(run: @escaping @Sendable (String, [String]) async throws -> Output) { self.run = run }

    /// The program is not on PATH.
    public struct NotFound: Error, Equatable { public var program: String }

    /// Runs real processes, looking the program up on the PATH of `environment`.
    public static func system(environment: [String: String] = ProcessInfo.processInfo.environment) -> CommandRunner {
        CommandRunner { program, arguments in
            guard let executable = locate(program, path: environment["PATH"] ?? "/usr/bin:/bin") else { throw NotFound(program: program) }
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = environment
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            // Read both pipes to the end concurrently so a chatty process cannot block on a full pipe.
            async let stdout = Task.detached { out.fileHandleForReading.readDataToEndOfFile() }.value
            async let stderr = Task.detached { err.fileHandleForReading.readDataToEndOfFile() }.value
            let (o, e) = await (stdout, stderr)
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async { process.waitUntilExit(); continuation.resume() }
            }
            return Output(status: process.terminationStatus, stdout: o, stderr: e)
        }
    }

    /// The default: real processes with this process's environment.
    public static var system: CommandRunner { system() }

    static func locate(_ program: String, path: String) -> URL? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? URL(fileURLWithPath: program) : nil }
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(program)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
