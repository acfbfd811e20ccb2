import Foundation
import OrchJSON
@testable import Sandbox
import Testing

/// Shared pieces of the sandbox tests: a shared sandbox, layer-limited sandboxes, and probes
/// for side effects (files, loopback connections, leftover processes).
enum Python {
    static let available: Bool = (try? PythonLocator.resolve(.default)) != nil
    static let missing: Comment = "python3 is not installed; the sandbox tests need it"
    static let runningAsRoot = geteuid() == 0
}

enum Sandboxes {
    /// For tests that only look at a job's result.
    static let shared = PythonSandbox(configuration: SandboxConfiguration(poolSize: 4))

    /// A one-server sandbox of its own, so a test can check that server's processes.
    static func dedicated(disabling layers: Set<SandboxLayer> = []) -> PythonSandbox {
        var configuration = SandboxConfiguration(poolSize: 1)
        configuration.disabledLayers = layers
        return PythonSandbox(configuration: configuration)
    }

    /// The layers that shape what Python code may say, switched off to reach the OS layers.
    static let languageLayers: Set<SandboxLayer> = [.staticCheck, .restrictedBuiltins]

    /// Every layer that can be switched off.
    static let optionalLayers: Set<SandboxLayer> = languageLayers.union([
        .resourceLimits, .privilegeDrop, .seccomp, .filesystem, .ipcScope, .networkNamespace, .diskBudget,
    ])
}

extension PythonSandbox {
    /// Runs `code` and returns the error it must fail with (recording an issue if it succeeds).
    func failure(of code: String, input: JSONValue = .null, timeout: Duration? = nil,
                 memory: Int? = nil, cpuSeconds: Int? = nil) async -> SandboxError? {
        do {
            let result = try await run(SandboxJob(code: code, input: input, timeout: timeout, memoryLimitBytes: memory, cpuSeconds: cpuSeconds))
            Issue.record("expected the snippet to fail, but it returned \(result.output)")
            return nil
        } catch {
            return error
        }
    }

    /// Runs an ordinary snippet, proving the sandbox still answers correctly.
    func stillAnswers() async -> Bool {
        let result = try? await run(SandboxJob(code: "output = sum(input) * 2", input: [1, 2, 3]))
        return result?.output == 12
    }
}

/// A path in /tmp that a snippet must not be able to create.
struct MarkerFile {
    let path = "/tmp/orch-sandbox-marker-\(UUID().uuidString)"
    var exists: Bool { FileManager.default.fileExists(atPath: path) }
}

/// A TCP listener on 127.0.0.1 that tells whether anyone connected.
final class LoopbackListener {
    let port: UInt16
    private let socketFD: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        socketFD = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// True if a connection is waiting to be accepted.
    var sawConnection: Bool {
        let client = accept(socketFD, nil, nil)
        if client >= 0 { close(client); return true }
        return false
    }

    deinit { close(socketFD) }
}

/// A listening abstract UNIX socket (no file: Landlock's filesystem rules do not cover it).
final class AbstractSocketListener {
    let name = "orch-sandbox-test-\(UUID().uuidString)"
    private let socketFD: Int32

    init() throws {
        socketFD = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = [UInt8(0)] + Array(name.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (index, byte) in bytes.enumerated() { path[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) }
        }
        guard bound == 0, listen(socketFD, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = fcntl(socketFD, F_SETFL, fcntl(socketFD, F_GETFL) | O_NONBLOCK)
    }

    /// True if a connection is waiting to be accepted.
    var sawConnection: Bool {
        let client = accept(socketFD, nil, nil)
        if client >= 0 { close(client); return true }
        return false
    }

    deinit { close(socketFD) }
}

enum Processes {
    /// Every live process whose ancestry leads to `pid` (the fork server is a child subreaper,
    /// so anything a job left behind would be found here).
    static func descendants(of pid: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let child = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[child] = parent }
        }
        return parents.keys.filter { candidate in
            var current = parents[candidate]
            while let step = current, step > 1 {
                if step == pid { return true }
                current = parents[step]
            }
            return false
        }
    }
}
