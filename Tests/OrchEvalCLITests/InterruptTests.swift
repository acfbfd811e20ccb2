import Foundation
import Testing
import OrchJSON

/// Ctrl-C against the real `orch-eval` executable that `swift test` builds beside the tests.
@Suite("Ctrl-C")
struct InterruptTests {
    static let executable = Bundle.main.bundleURL.appendingPathComponent("orch-eval")
    static let built = FileManager.default.isExecutableFile(atPath: executable.path)

    @Test("SIGINT cancels the running step, and the result still holds what finished",
          .enabled(if: built, "the orch-eval executable is not built next to the tests"))
    func interrupt() async throws {
        let scratch = try TemporaryDirectory()
        let plan = try scratch.write("interrupt.json", """
            {"request_id": "interrupt", "steps": [
              {"id": "quick", "tool": "function_call", "input": {"name": "compute_tax", "args": {"amount": 10}}},
              {"id": "spin", "tool": "code_exec", "timeout_s": 60, "depends_on": ["quick"], "input": {"code": "while True:\\n    pass", "input_data": {}}},
              {"id": "after", "tool": "function_call", "depends_on": ["spin"], "input": {"name": "compute_tax", "args": {"amount": 1}}}
            ]}
            """)
        let (status, output, progress) = try await onOwnThread { () throws -> (Int32, Data, String) in
            let process = Process()
            process.executableURL = Self.executable
            process.arguments = ["exec", plan, "--json", "--progress"]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            // A broken build must fail this test, not hang it.
            DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if process.isRunning { process.terminate() } }
            var progress = ""
            while !progress.contains("ok   quick") {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                progress += String(decoding: chunk, as: UTF8.self)
            }
            kill(process.processIdentifier, SIGINT)
            let output = out.fileHandleForReading.readDataToEndOfFile()
            progress += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output, progress)
        }
        #expect(status == 1)
        #expect(progress.contains("Interrupted: cancelling running steps"))
        let result = try JSONValue(parsing: output)
        #expect(result["status"] == "cancelled")
        #expect(result["steps"]?["quick"]?["status"] == "succeeded")
        #expect(result["steps"]?["spin"]?["status"] == "cancelled")
        #expect(result["steps"]?["after"]?["status"] == "cancelled")
    }
}

/// Runs blocking work (pipes, waiting for a process) on a thread of its own, so it does not
/// hold one of the few threads every other test's tasks run on.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
