import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The stdio transport: starts the server as a child process and exchanges newline-delimited
/// JSON on its stdin and stdout. Its stderr is kept (the last lines go into error messages),
/// never treated as an error. The connection breaks when the server exits or prints a line
/// that is not JSON-RPC; `close` stops the process (stdin closed, then SIGTERM, then SIGKILL).
public final class StdioTransport: MCPTransport {
    public let name: String
    public let launch: StdioLaunch
    private let process = Mutex<ServerProcess?>(nil)
    private let stderrTail = Mutex<[String]>([])

    public init(name: String, launch: StdioLaunch) {
        self.name = name
        self.launch = launch
    }

    /// The process id while the server runs (tests check that nothing outlives a run).
    public var pid: Int32? { process.withLock { $0?.pid } }

    /// The last lines the server wrote to stderr (at most 20).
    public var recentStderr: [String] { stderrTail.withLock { $0 } }

    public func open() async throws -> AsyncThrowingStream<RPCMessage, any Error> {
        let executable = try launch.resolvedExecutable()
        let child = try ServerProcess.spawn(executable: executable, arguments: launch.arguments,
                                            environment: launch.environment, directory: launch.directory)
        process.withLock { $0 = child }
        let (messages, sink) = AsyncThrowingStream.makeStream(of: RPCMessage.self, throwing: (any Error).self)
        Thread.detachNewThread { [self] in keepStderr(of: child) }
        Thread.detachNewThread { [self] in
            let failure = readMessages(from: child, into: sink)
            sink.finish(throwing: failure)
        }
        return messages
    }

    public func send(_ message: RPCMessage, protocolVersion: String?) async throws {
        guard let child = process.withLock({ $0 }), child.write(Array((message.line + "\n").utf8)) else {
            throw MCPError(.connectionLost, "MCP server '\(name)' is not running (it stopped reading its stdin)\(stderrNote)")
        }
    }

    public func close() async {
        guard let child = process.withLock({ process in defer { process = nil }; return process }) else { return }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread { child.stop(); done.resume() }
        }
    }

    /// Reads lines until stdout ends or a line is not JSON-RPC; returns why the connection ended.
    private func readMessages(from child: ServerProcess, into sink: AsyncThrowingStream<RPCMessage, any Error>.Continuation) -> MCPError {
        var garbage: String?
        _ = readLines(from: child.stdout) { line in
            guard let message = RPCMessage(line: line) else {
                garbage = String(decoding: line.prefix(200), as: UTF8.self)
                return false
            }
            sink.yield(message)
            return true
        }
        Glibc.close(child.stdout)
        if let garbage {
            Thread.detachNewThread { child.stop(grace: .zero) }
            return MCPError(.connectionLost, "MCP server '\(name)' printed a line that is not JSON-RPC on stdout: '\(garbage)' (logs belong on stderr); it was stopped and starts again on the next call\(stderrNote)")
        }
        let status = child.waitForExit()
        let how = status & 0x7f == 0 ? "exited with status \((status >> 8) & 0xff)" : "was killed by signal \(status & 0x7f)"
        return MCPError(.connectionLost, "MCP server '\(name)' \(how); it starts again on the next call\(stderrNote)")
    }

    private func keepStderr(of child: ServerProcess) {
        _ = readLines(from: child.stderr) { line in
            stderrTail.withLock { tail in
                tail.append(String(decoding: line, as: UTF8.self))
                if tail.count > 20 { tail.removeFirst(tail.count - 20) }
            }
            return true
        }
        Glibc.close(child.stderr)
    }

    private var stderrNote: String {
        let tail = recentStderr.suffix(5)
        return tail.isEmpty ? "" : ". Its last stderr lines:\n  " + tail.joined(separator: "\n  ")
    }
}

/// How to start a stdio server: the `command`, `args`, `env` and `cwd` of its configuration.
public struct StdioLaunch: Sendable, Equatable {
    public var command: String
    public var arguments: [String]
    /// The whole environment of the process: a minimal base with the configured `env` over it.
    public var environment: [String: String]
    public var directory: String?

    /// Variables passed from orch-eval's environment to every server (as the official SDKs do);
    /// everything else must be named in `env`, so keys in the parent's environment do not leak.
    public static let inheritedVariables = ["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "LC_ALL", "TMPDIR"]

    public init(command: String, arguments: [String] = [], environment: [String: String] = [:], directory: String? = nil,
                parentEnvironment: [String: String] = ProcessInfo.processInfo.environment) {
        self.command = command
        self.arguments = arguments
        var merged = parentEnvironment.filter { Self.inheritedVariables.contains($0.key) }
        merged.merge(environment) { _, configured in configured }
        self.environment = merged
        self.directory = directory
    }

    /// The command as a path: as given when it contains a `/` (relative to `cwd`), else found
    /// on the server's `PATH`.
    func resolvedExecutable() throws -> String {
        if command.contains("/") {
            if command.hasPrefix("/") || directory == nil { return command }
            return URL(fileURLWithPath: directory!).appendingPathComponent(command).path
        }
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw MCPError(.configuration, "the command '\(command)' is not on PATH (\(environment["PATH"] ?? "unset")); give its full path")
    }
}
