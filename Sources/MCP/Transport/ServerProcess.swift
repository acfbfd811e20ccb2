import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A server process started with `posix_spawn` in its own process group (so Ctrl-C at the
/// terminal reaches only orch-eval, which then stops its servers, children included), with
/// pipes for stdin, stdout and stderr.
final class ServerProcess: Sendable {
    let pid: pid_t
    let stdin: Int32
    let stdout: Int32
    let stderr: Int32
    private let writeLock = Mutex(false)  // true once stdin is closed
    private let exitStatus = Mutex<Int32?>(nil)

    private init(pid: pid_t, stdin: Int32, stdout: Int32, stderr: Int32) {
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Starts `executable` (a path) with `arguments`, exactly `environment`, in `directory`.
    static func spawn(executable: String, arguments: [String], environment: [String: String], directory: String?) throws -> ServerProcess {
        var pipes: [[Int32]] = []
        for _ in 0..<3 {
            var fds: [Int32] = [-1, -1]
            // Close-on-exec from birth: a process another thread spawns meanwhile must not inherit our ends.
            guard Self.pipe2(&fds, O_CLOEXEC) == 0 else { pipes.flatMap { $0 }.forEach { close($0) }; throw posixError("pipe") }
            pipes.append(fds)
        }
        let (input, output, errors) = (pipes[0], pipes[1], pipes[2])
        defer { close(input[0]); close(output[1]); close(errors[1]) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        if let directory {
            guard let addChdir = Self.addChdir else {
                close(input[1]); close(output[0]); close(errors[0])
                throw MCPError(.configuration, "this system cannot start a process in another directory ('cwd' needs glibc 2.29 or newer)")
            }
            _ = addChdir(&actions, directory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            close(input[1]); close(output[0]); close(errors[0])
            throw MCPError(.configuration, "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        return ServerProcess(pid: pid, stdin: input[1], stdout: output[0], stderr: errors[0])
    }

    /// Writes all of `bytes` to the server's stdin; false when the server is gone.
    func write(_ bytes: [UInt8]) -> Bool {
        writeLock.withLock { closed in
            guard !closed else { return false }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { Glibc.write(stdin, $0.baseAddress! + offset, bytes.count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Blocks until the process exits and returns its wait status (reaping it once).
    @discardableResult
    func waitForExit() -> Int32 {
        if let status = exitStatus.withLock({ $0 }) { return status }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { break }
        }
        exitStatus.withLock { $0 = status }
        return status
    }

    /// Whether the process has exited (reaping it if so).
    var hasExited: Bool {
        if exitStatus.withLock({ $0 }) != nil { return true }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus.withLock { $0 = status }
            return true
        }
        return false
    }

    /// The specification's shutdown: close stdin, give the server `grace` to exit, then
    /// SIGTERM, then SIGKILL, each to the whole process group, and reap the process.
    func stop(grace: Duration = .seconds(2)) {
        writeLock.withLock { closed in
            if !closed { close(stdin); closed = true }
        }
        for signal in [0, SIGTERM, SIGKILL] {
            if signal != 0 { _ = killpg(pid, signal) }
            let deadline = ContinuousClock.now + (signal == SIGKILL ? .seconds(5) : grace)
            while ContinuousClock.now < deadline {
                if hasExited {
                    _ = killpg(pid, SIGKILL)  // children the server left behind
                    return
                }
                usleep(5_000)
            }
        }
        waitForExit()
    }

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+), which Swift's Glibc module does not export.
    private static let addChdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()

    /// `pipe2`, which Swift's Glibc module does not export either.
    private static let pipe2: @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32 = {
        let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2")!
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    }()

    private static func posixError(_ call: String) -> MCPError {
        MCPError(.configuration, "\(call) failed: \(String(cString: strerror(errno)))")
    }
}
