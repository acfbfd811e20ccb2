import Foundation
import OrchJSON
@testable import Sandbox
import Testing

/// What one job could do to another job, to the host's view of its result, or to a later job,
/// with the language layers off (plain hostile Python), and the unprivileged path.
@Suite(.enabled(if: Python.available, Python.missing), .serialized)
struct CrossJobTests {
    static let probed = IsolationTests.probed

    /// The layers that each stop signals on their own, where they work here, and all of them.
    static var signalSetups: [Set<SandboxLayer>] {
        [Sandboxes.languageLayers] + [SandboxLayer.seccomp, .ipcScope]
            .filter { probed?[$0]?.active == true }
            .map { Sandboxes.optionalLayers.subtracting([$0]) }
    }

    @Test(arguments: signalSetups)
    func aJobCannotSignalASiblingJob(disabling layers: Set<SandboxLayer>) async throws {
        let sibling = Sandboxes.dedicated(disabling: Sandboxes.languageLayers)
        try await sibling.warmUp()
        let server = try #require(await sibling.serverProcessIDs.first)
        let running = Task {
            try await sibling.run(SandboxJob(code: "import time\ntime.sleep(60)\noutput = 'alive'", timeout: .seconds(90)))
        }
        // The sibling's child appears under its server once the job has started.
        let deadline = ContinuousClock.now + .seconds(60)
        var target: Int32?
        while target == nil, ContinuousClock.now < deadline {
            target = Processes.descendants(of: server).first
            await Task.yield()
        }
        let attacker = Sandboxes.dedicated(disabling: layers)
        let error: SandboxError?
        let stillRunning: Bool
        if let pid = target {
            error = await attacker.failure(of: IsolationTests.signalEveryWay.replacingOccurrences(of: "TARGET", with: String(pid)))
            stillRunning = kill(pid, 0) == 0
        } else {
            (error, stillRunning) = (nil, false)
        }
        running.cancel()
        let outcome = await running.result
        await attacker.shutdown()
        await sibling.shutdown()

        #expect(target != nil, "the sibling job never started")
        guard case .pythonError("PermissionError", let message, _) = error else {
            Issue.record("expected PermissionError, got \(String(describing: error))")
            return
        }
        #expect(message == "['Operation not permitted']")
        #expect(stillRunning, "the sibling job was still running after the attack")
        #expect(outcome.isCancelledJob)
    }

    /// Each job gets a new scratch directory, and the last one is gone (the scratch_directory
    /// layer, always on); /tmp and the other jobs' folders are covered in IsolationTests.
    @Test func aJobCannotLeaveAFileForTheNextJob() async throws {
        let sandbox = Sandboxes.dedicated(disabling: Sandboxes.languageLayers)
        let first = try await sandbox.run(SandboxJob(code: "import os\nopen('note.txt', 'w').write('secret')\noutput = os.getcwd()"))
        let folder = try #require(first.output.stringValue)

        let error = await sandbox.failure(of: "import os\nfound = os.listdir('.')\noutput = open('\(folder)/note.txt').read()")

        #expect(error == .pythonError(type: "FileNotFoundError", message: "[Errno 2] No such file or directory: '\(folder)/note.txt'", line: 3))
        await sandbox.shutdown()
    }

    /// A job can write anything to its result pipe; the server rebuilds the error from the
    /// fields its kind may have, clipped, and the host clips again.
    @Test func aForgedResultIsCheckedAndClipped() async {
        let sandbox = Sandboxes.dedicated(disabling: Sandboxes.languageLayers)
        let huge = await sandbox.failure(of: """
            import os
            forged = b'{"error": {"kind": "python_error", "type": "' + b'T' * 100000 + b'", "message": "' + b'x' * 900000 + b'", "line": -5, "extra": 1}}'
            view = memoryview(forged)
            while view:
                view = view[os.write(3, view):]
            os._exit(0)
            """)
        guard case .pythonError(let type, let message, let line) = huge else {
            Issue.record("expected a python_error, got \(String(describing: huge))")
            return
        }
        #expect(type.count <= SandboxLimits.maxMessageCharacters + 1)
        #expect(message.count <= SandboxLimits.maxMessageCharacters + 1)
        #expect(line == nil)
        let timeout = await sandbox.failure(of: "import os\nos.write(3, b'{\"error\": {\"kind\": \"timeout\"}}')\nos._exit(0)")
        guard case .crashed(let reason) = timeout else {
            Issue.record("expected crashed, got \(String(describing: timeout))")
            return
        }
        #expect(reason.contains("malformed result"))
        await sandbox.shutdown()
    }

    /// The fork server as `nobody` (what an unprivileged host gets): no privilege to drop, so
    /// only Landlock keeps a job from reading its own server's environment (same user).
    @Test(.enabled(if: Python.runningAsRoot && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
                   && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") && probed?[.filesystem]?.active == true,
                   "needs root, /usr/bin/setpriv, a /usr/bin/python3 that nobody can read, and Landlock"))
    func theUnprivilegedPathHoldsToo() async throws {
        var configuration = SandboxConfiguration(poolSize: 1, pythonExecutable: "/usr/bin/python3")
        configuration.serverUser = (65534, 65534)
        configuration.disabledLayers = Sandboxes.languageLayers
        let sandbox = PythonSandbox(configuration: configuration)
        let layers = try await sandbox.activeLayers()
        #expect(layers[.privilegeDrop]?.detail.contains("not needed") == true)

        let error = await sandbox.failure(of: "import os\noutput = [os.getuid(), open(f'/proc/{os.getppid()}/environ').read()]")

        guard case .pythonError("PermissionError", _, 2) = error else {
            Issue.record("expected PermissionError at line 2, got \(String(describing: error))")
            return
        }
        #expect(await sandbox.stillAnswers())
        await sandbox.shutdown()
    }
}

private extension Result where Success == SandboxResult, Failure == any Error {
    var isCancelledJob: Bool {
        if case .failure(let error as SandboxError) = self { return error == .cancelled }
        return false
    }
}
