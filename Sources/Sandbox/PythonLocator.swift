import Foundation
import Synchronization

/// Finds the real Python 3 interpreter. `python3` on `PATH` may be a shim (pyenv, asdf) that
/// needs environment variables the sandbox never passes, so it is asked once for
/// `sys.executable` and that path is used from then on.
enum PythonLocator {
    private static let cache = Mutex<[String: String]>([:])

    static func resolve(_ configuration: SandboxConfiguration) throws(SandboxError) -> String {
        let requested: String
        if let explicit = configuration.pythonExecutable {
            requested = explicit
        } else {
            requested = try findOnPath(configuration.environment)
        }
        if let known = cache.withLock({ $0[requested] }) { return known }
        let resolved = try askForExecutable(requested, environment: configuration.environment)
        cache.withLock { $0[requested] = resolved }
        return resolved
    }

    private static func findOnPath(_ environment: [String: String]) throws(SandboxError) -> String {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw .pythonUnavailable("no executable named python3 on PATH (\(path))")
    }

    private static func askForExecutable(_ python: String, environment: [String: String]) throws(SandboxError) -> String {
        let process = try ChildProcess.spawn(
            executable: python,
            arguments: ["-I", "-c", "import sys; assert sys.version_info >= (3, 10), sys.version; print(sys.executable)"],
            environment: environment.map { "\($0.key)=\($0.value)" })
        let answer = process.readLine(until: .now + .seconds(30))
        let complaint = process.availableStderr()
        process.terminate(grace: .seconds(2))
        guard case .line(let bytes) = answer, !bytes.isEmpty else {
            throw .pythonUnavailable("\(python) did not report its executable (the sandbox needs Python 3.10 or newer)\(complaint.isEmpty ? "" : ": \(complaint)")")
        }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
