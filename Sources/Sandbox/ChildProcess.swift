import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A process spawned with `posix_spawn` in its own process group, whose stdin and stdout are
/// one end of a socket pair (the host writes with `MSG_NOSIGNAL`, so a dead child can never
/// raise SIGPIPE in the host) and whose stderr is another.
struct ChildProcess: Sendable {
    let pid: pid_t
    /// The host's end: requests go out, response lines come in.
    let socket: Int32
    /// The host's end of the child's stderr, read only to explain a failed start.
    let stderr: Int32

    enum LineRead: Sendable {
        case line([UInt8])
        case closed
        case timedOut
    }

    /// Starts `executable` with exactly `arguments` and `environment` (`KEY=value` strings);
    /// `passing`, if given, becomes the child's fd 3 (everything else is close-on-exec).
    static func spawn(executable: String, arguments: [String], environment: [String],
                      passing inherited: Int32? = nil) throws(SandboxError) -> ChildProcess {
        var pair: [Int32] = [-1, -1]
        var errPair: [Int32] = [-1, -1]
        // Close-on-exec from birth: another thread may spawn a process at any moment, and a
        // leaked copy of a server's end would keep the host from seeing that server exit.
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM_VALUE) | SOCK_CLOEXEC_VALUE, 0, &pair) == 0 else {
            throw .serverFailure("socketpair failed: \(String(cString: strerror(errno)))")
        }
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM_VALUE) | SOCK_CLOEXEC_VALUE, 0, &errPair) == 0 else {
            close(pair[0]); close(pair[1])
            throw .serverFailure("socketpair failed: \(String(cString: strerror(errno)))")
        }
        defer { close(pair[1]); close(errPair[1]) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pair[1], 0)
        posix_spawn_file_actions_adddup2(&actions, pair[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPair[1], 2)
        if let inherited {
            posix_spawn_file_actions_adddup2(&actions, inherited, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            close(pair[0]); close(errPair[0])
            throw .pythonUnavailable("cannot start \(executable): \(String(cString: strerror(status)))")
        }
        return ChildProcess(pid: pid, socket: pair[0], stderr: errPair[0])
    }

    /// Writes all of `bytes`; false if the child is gone or does not read before `deadline`.
    func sendAll(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard wait(for: Int16(POLLOUT), until: deadline) else { return false }
            let written = bytes.withUnsafeBytes { buffer in
                send(socket, buffer.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Reads up to and including the next newline (which is dropped).
    func readLine(until deadline: ContinuousClock.Instant) -> LineRead {
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            guard wait(for: Int16(POLLIN), until: deadline) else { return .timedOut }
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .closed
            }
            if count == 0 { return .closed }
            if let newline = chunk[..<count].firstIndex(of: UInt8(ascii: "\n")) {
                line += chunk[..<newline]
                return .line(line)
            }
            line += chunk[..<count]
        }
    }

    /// Whatever the child wrote to stderr so far (at most 4 KiB), for an error message.
    func availableStderr() -> String {
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var poller = pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)
        while text.count < 4096, poll(&poller, 1, 0) > 0 {
            let count = chunk.withUnsafeMutableBytes { read(stderr, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            text += chunk[..<count]
        }
        return String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Closes the host's ends, gives the child `grace` to exit on its own (it exits when its
    /// stdin closes), then kills its process group and reaps it, so no zombie remains.
    func terminate(grace: Duration = .zero) {
        close(socket)
        let deadline = ContinuousClock.now + grace
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { close(stderr); return }
            usleep(2_000)
        }
        _ = killpg(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        close(stderr)
    }

    private func wait(for events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return false }
            let millis = Int32(clamping: Int(remaining.seconds * 1000) + 1)
            var poller = pollfd(fd: socket, events: events, revents: 0)
            let ready = poll(&poller, 1, millis)
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { return false }
        }
    }
}

#if canImport(Glibc)
private let SOCK_STREAM_VALUE = SOCK_STREAM.rawValue
private let SOCK_CLOEXEC_VALUE = Int32(SOCK_CLOEXEC.rawValue)
#else
// Darwin has no SOCK_CLOEXEC; the sandbox's layers need Linux anyway.
private let SOCK_STREAM_VALUE = SOCK_STREAM
private let SOCK_CLOEXEC_VALUE: Int32 = 0
#endif
