import Foundation
import OrchEvalCLI
import OrchJSON
import Synchronization
import Testing

private final class Captured: Sendable {
    let out = Mutex("")
    let err = Mutex("")
    var io: CommandIO {
        CommandIO(out: { text in self.out.withLock { $0 += text } },
                  err: { text in self.err.withLock { $0 += text } },
                  environment: ProcessInfo.processInfo.environment)
    }
}

struct DoctorCommandTests {
    @Test func listsEveryLayerAsJSON() async throws {
        let captured = Captured()
        let status = await DoctorCommand.run(["--json"], io: captured.io)
        let report = try JSONValue(parsing: captured.out.withLock { $0 })
        if report["python"]?["found"] == true {
            #expect(status == 0)
            let layers = report["sandbox_layers"]?.arrayValue?.compactMap { $0["layer"]?.stringValue }
            #expect(layers?.count == 13)
            #expect(layers?.first == "static_check")
            // The OS layers of issue 7 are listed, active or not (with the reason).
            #expect(["filesystem", "ipc_scope", "disk_budget"].allSatisfy { layers?.contains($0) == true })
        } else {
            #expect(status == 1)
        }
        #expect(report["tesseract"]?["found"]?.boolValue != nil)
    }

    @Test func aMissingPythonIsAFailureThatSaysWhatToInstall() async {
        let captured = Captured()
        let io = CommandIO(out: captured.io.out, err: captured.io.err, environment: ["PATH": "/nonexistent"])
        let status = await DoctorCommand.run([], io: io)
        #expect(status == 1)
        #expect(captured.out.withLock { $0 }.contains("python3:   MISSING"))
        #expect(captured.out.withLock { $0 }.contains("Install python3"))
    }

    /// A python3 whose fork server cannot start (here: it names /bin/false as its executable)
    /// is not a missing python3, and the report must not send the user to install one.
    @Test func aSandboxThatCannotStartIsNotReportedAsAMissingPython() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orch-doctor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = folder.appendingPathComponent("python3")
        try writeFakePython(to: fake.path)
        let captured = Captured()
        let io = CommandIO(out: captured.io.out, err: captured.io.err, environment: ["PATH": folder.path])
        #expect(await DoctorCommand.run([], io: io) == 1)
        let text = captured.out.withLock { $0 }
        #expect(!text.contains("MISSING"))
        #expect(text.contains("python3:   found, but the code_exec sandbox cannot start"))
        #expect(text.contains("/bin/false exited at start-up"))

        let json = Captured()
        #expect(await DoctorCommand.run(["--json"], io: CommandIO(out: json.io.out, err: json.io.err, environment: ["PATH": folder.path])) == 1)
        let report = try JSONValue(parsing: json.out.withLock { $0 })
        #expect(report["python"]?["found"] == true)
        #expect(report["python"]?["error_code"] == "sandbox_failure")
    }

    @Test func anUnknownOptionIsAUsageError() async {
        let captured = Captured()
        #expect(await DoctorCommand.run(["--bogus"], io: captured.io) == 2)
        #expect(captured.err.withLock { $0 }.contains("'--bogus'"))
    }
}

/// Writes a `python3` stand-in that names /bin/false as its executable. Opened close-on-exec:
/// a descriptor open for writing that leaks into a process spawned meanwhile by another test
/// would make executing the script fail with "Text file busy".
private func writeFakePython(to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    let script = Array("#!/bin/sh\necho /bin/false\n".utf8)
    guard write(fd, script, script.count) == script.count else { throw POSIXError(.EIO) }
}
