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
            #expect(report["sandbox_layers"]?.arrayValue?.count == 10)
            #expect(report["sandbox_layers"]?.arrayValue?.first?["layer"] == "static_check")
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

    @Test func anUnknownOptionIsAUsageError() async {
        let captured = Captured()
        #expect(await DoctorCommand.run(["--bogus"], io: captured.io) == 2)
        #expect(captured.err.withLock { $0 }.contains("'--bogus'"))
    }
}
