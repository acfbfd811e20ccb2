import Foundation

/// Finds the Python side of the sandbox. SwiftPM's `Bundle.module` stops the process when
/// its bundle is not where the build put it (a binary copied elsewhere), so the lookup is
/// ours and a miss is an error that says what to do.
enum SandboxScripts {
    static let environmentKey = "ORCH_SANDBOX_PYTHON_DIR"
    static let serverFile = "sandbox_server.py"

    /// The folders tried, first match wins: `$ORCH_SANDBOX_PYTHON_DIR`; the resource bundle
    /// beside the executable (where `swift build` and `swift test` put it); this source
    /// checkout's `Sources/Sandbox/Python`.
    static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        var folders: [URL] = []
        if let override = environment[environmentKey], !override.isEmpty { folders.append(URL(fileURLWithPath: override)) }
        folders.append(Bundle.main.bundleURL.appendingPathComponent("orch-eval_Sandbox.resources/Python"))
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            folders.append(executable.appendingPathComponent("orch-eval_Sandbox.resources/Python"))
        }
        folders.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Python"))
        return folders
    }

    static func server(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SandboxError) -> URL {
        let folders = candidates(environment: environment)
        for folder in folders {
            let script = folder.appendingPathComponent(serverFile)
            if FileManager.default.fileExists(atPath: script.path) { return script }
        }
        throw .serverFailure("cannot find the sandbox's \(serverFile); looked in \(folders.map(\.path).joined(separator: ", ")). "
            + "Keep orch-eval_Sandbox.resources next to the executable, or set \(environmentKey) to a folder holding the sandbox's Python files.")
    }
}
