import Foundation

/// `cassette-test-recorder` (Tests/Helpers) running as a process of its own: a second
/// recorder as `swift test --parallel`, a CI job or an evaluation run would be. Its methods
/// block; call them through `onOwnThread`.
final class RecorderProcess: @unchecked Sendable {  // used by one test thread at a time
    static let executable = Bundle.main.bundleURL.appendingPathComponent("cassette-test-recorder")
    static let built = FileManager.default.isExecutableFile(atPath: executable.path)

    private let process = Process()
    private let input = Pipe(), output = Pipe(), errors = Pipe()
    private var pending = Data()
    /// The `recorded I` lines read so far: interactions acknowledged as on disk.
    private(set) var acknowledged: [Int] = []

    var pid: Int32 { process.processIdentifier }

    init(file: URL, mode: String, prefix: String, count: Int, hold: Bool = false) throws {
        process.executableURL = Self.executable
        process.arguments = [file.path, mode, prefix, "\(count)"] + (hold ? ["--hold"] : [])
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // A hung helper must fail its test, not hang the run.
        let process = self.process
        DispatchQueue.global().asyncAfter(deadline: .now() + 120) { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    /// Reads the helper's output up to the line `line`; false if it ended first.
    func waitFor(_ line: String) -> Bool {
        while true {
            while let newline = pending.firstIndex(of: 0x0A) {
                let text = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = Data(pending[(newline + 1)...])
                if text.hasPrefix("recorded "), let i = Int(text.dropFirst(9)) { acknowledged.append(i) }
                if text == line { return true }
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return false }
            pending.append(chunk)
        }
    }

    /// Lets a `--hold` helper close its cassette.
    func release() {
        input.fileHandleForWriting.write(Data("go\n".utf8))
    }

    /// Waits for the end; returns the exit status and what it wrote on stderr.
    func finish() -> (status: Int32, errors: String) {
        _ = waitFor("\u{0}")  // reads the rest, noting acknowledgements
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// Kills it with SIGKILL (no cleanup of any kind runs) and waits for it to be gone.
    func killNow() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Runs blocking work (pipes, waiting for a process) on a thread of its own, so it does not
/// hold one of the few threads every other test's tasks run on.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
