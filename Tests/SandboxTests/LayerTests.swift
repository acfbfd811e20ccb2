import Foundation
import OrchJSON
@testable import Sandbox
import Testing

/// Each layer on its own: the other layers are switched off so the test shows what this one
/// stops by itself (docs/sandbox.md lists the layers).
@Suite(.enabled(if: Python.available, Python.missing))
struct LayerTests {
    static let probed = try? PythonSandbox.probe()
    static var seccompActive: Bool { probed?[.seccomp]?.active == true }
    static var networkNamespaceActive: Bool { probed?[.networkNamespace]?.active == true }

    /// A sandbox with only `kept` of the optional layers.
    static func only(_ kept: SandboxLayer...) -> PythonSandbox {
        Sandboxes.dedicated(disabling: Sandboxes.optionalLayers.subtracting(kept))
    }

    // MARK: static check

    @Test func staticCheckAloneRefusesAFileWriteBeforeItRuns() async {
        let marker = MarkerFile()
        let sandbox = Self.only(.staticCheck)
        let error = await sandbox.failure(of: "open('\(marker.path)', 'w').write('x')")
        #expect(error == .rejected(reason: "the builtin 'open' is not available in the sandbox", line: 1))
        #expect(!marker.exists)
        await sandbox.shutdown()
    }

    // MARK: restricted builtins

    @Test func restrictedBuiltinsAloneHaveNoOpen() async {
        let marker = MarkerFile()
        let sandbox = Self.only(.restrictedBuiltins)
        let error = await sandbox.failure(of: "x = 1\nopen('\(marker.path)', 'w').write('x')")
        #expect(error == .pythonError(type: "NameError", message: "name 'open' is not defined", line: 2))
        #expect(!marker.exists)
        await sandbox.shutdown()
    }

    @Test func restrictedBuiltinsAloneRefuseImportsOutsideTheAllowlist() async {
        let sandbox = Self.only(.restrictedBuiltins)
        let error = await sandbox.failure(of: "import os")
        #expect(error == .pythonError(type: "ImportError", message: "import of 'os' is not allowed in the sandbox", line: 1))
        await sandbox.shutdown()
    }

    @Test func restrictedBuiltinsAloneHaveNoEval() async {
        let sandbox = Self.only(.restrictedBuiltins)
        let error = await sandbox.failure(of: "output = eval('1')")
        #expect(error == .pythonError(type: "NameError", message: "name 'eval' is not defined", line: 1))
        await sandbox.shutdown()
    }

    @Test func restrictedBuiltinsAloneRefuseUnderscoreNamesFromModules() async {
        let sandbox = Self.only(.restrictedBuiltins)
        let error = await sandbox.failure(of: "from json import __class__")
        #expect(error == .pythonError(type: "ImportError", message: "importing '__class__' from 'json' is not allowed in the sandbox", line: 1))
        await sandbox.shutdown()
    }

    /// The real functools.update_wrapper is a getattr by string; the copy handed out is not.
    @Test func restrictedBuiltinsAloneHaveNoAttributeListsInUpdateWrapper() async {
        let sandbox = Self.only(.restrictedBuiltins)
        let error = await sandbox.failure(of: """
            import functools
            def wrapper():
                pass
            functools.update_wrapper(wrapper, len, assigned=('__self__',))
            """)
        guard case .pythonError("TypeError", let message, 4) = error else {
            Issue.record("expected TypeError at line 4, got \(String(describing: error))")
            return
        }
        #expect(message.contains("unexpected keyword argument 'assigned'"))
        await sandbox.shutdown()
    }

    @Test func restrictedBuiltinsAloneHaveNoSingledispatch() async {
        let sandbox = Self.only(.restrictedBuiltins)
        let error = await sandbox.failure(of: "import functools\nd = functools.singledispatch")
        guard case .pythonError("AttributeError", _, 2) = error else {
            Issue.record("expected AttributeError at line 2, got \(String(describing: error))")
            return
        }
        await sandbox.shutdown()
    }

    // MARK: resource limits

    @Test func resourceLimitsAloneStopAMemoryBomb() async {
        let sandbox = Self.only(.resourceLimits)
        let error = await sandbox.failure(of: "x = bytearray(512 * 1024 * 1024)", memory: 128 << 20)
        #expect(error == .memoryLimit(bytes: 128 << 20))
        await sandbox.shutdown()
    }

    @Test func resourceLimitsAloneStopACPULoop() async {
        let sandbox = Self.only(.resourceLimits)
        let error = await sandbox.failure(of: "while True:\n    pass", timeout: .seconds(30), cpuSeconds: 1)
        #expect(error == .cpuLimit(seconds: 1))
        await sandbox.shutdown()
    }

    @Test func resourceLimitsAloneCapFileSize() async {
        let sandbox = Self.only(.resourceLimits)
        let error = await sandbox.failure(of: "open('big.bin', 'wb').write(b'x' * (4 << 20))")
        #expect(error == .pythonError(type: "OSError", message: "[Errno 27] File too large", line: 1))
        await sandbox.shutdown()
    }

    @Test func resourceLimitsAloneCapOpenFiles() async {
        let sandbox = Self.only(.resourceLimits)
        let error = await sandbox.failure(of: "files = [open('f%d' % i, 'w') for i in range(64)]")
        guard case .pythonError("OSError", let message, 1) = error else {
            Issue.record("expected OSError at line 1, got \(String(describing: error))")
            return
        }
        #expect(message.contains("Too many open files"))
        await sandbox.shutdown()
    }

    /// A job that hits its CPU limit dies of SIGXCPU, whose default action dumps core; a piped
    /// core_pattern (systemd-coredump, apport) would receive the image whatever RLIMIT_CORE says.
    @Test func resourceLimitsAloneTurnOffCoreDumps() async throws {
        let sandbox = Self.only(.resourceLimits)
        let result = try await sandbox.run(SandboxJob(code: """
            import ctypes, resource
            PR_GET_DUMPABLE = 3
            output = [list(resource.getrlimit(resource.RLIMIT_CORE)), ctypes.CDLL(None).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0)]
            """))
        #expect(result.output == [[0, 0], 0])
        await sandbox.shutdown()
    }

    /// RLIMIT_NPROC binds only unprivileged users, so as root it works together with the drop.
    @Test func resourceLimitsRefuseNewProcesses() async {
        let marker = MarkerFile()
        let sandbox = Python.runningAsRoot ? Self.only(.resourceLimits, .privilegeDrop) : Self.only(.resourceLimits)
        let error = await sandbox.failure(of: """
            import os
            if os.fork() == 0:
                open('\(marker.path)', 'w').write('child')
                os._exit(0)
            """)
        guard case .pythonError("BlockingIOError", _, 2) = error else {
            Issue.record("expected BlockingIOError at line 2, got \(String(describing: error))")
            return
        }
        #expect(!marker.exists)
        for server in await sandbox.serverProcessIDs {
            #expect(Processes.descendants(of: server).isEmpty)
        }
        await sandbox.shutdown()
    }

    // MARK: privilege drop

    @Test(.enabled(if: Python.runningAsRoot, "the host does not run as root, so there is no privilege to drop"))
    func privilegeDropAloneRunsJobsAsNobody() async throws {
        let sandbox = Self.only(.privilegeDrop)
        let result = try await sandbox.run(SandboxJob(code: "import os\noutput = [os.getuid(), os.geteuid(), os.getgroups()]"))
        #expect(result.output == [65534, 65534, []])
        await sandbox.shutdown()
    }

    // MARK: seccomp

    @Test(.enabled(if: seccompActive, "seccomp is not available on this machine (see `orch-eval doctor`)"))
    func seccompAloneRefusesFork() async {
        let marker = MarkerFile()
        let sandbox = Self.only(.seccomp)
        let error = await sandbox.failure(of: "import os\nif os.fork() == 0:\n    open('\(marker.path)', 'w').write('child')\n    os._exit(0)")
        #expect(error == .pythonError(type: "PermissionError", message: "[Errno 1] Operation not permitted", line: 2))
        #expect(!marker.exists)
        for server in await sandbox.serverProcessIDs {
            #expect(Processes.descendants(of: server).isEmpty)
        }
        await sandbox.shutdown()
    }

    @Test(.enabled(if: seccompActive, "seccomp is not available on this machine (see `orch-eval doctor`)"))
    func seccompAloneRefusesRunningPrograms() async {
        let marker = MarkerFile()
        let sandbox = Self.only(.seccomp)
        let error = await sandbox.failure(of: "import subprocess\nsubprocess.run(['/bin/touch', '\(marker.path)'])")
        guard case .pythonError("PermissionError", _, 2) = error else {
            Issue.record("expected PermissionError at line 2, got \(String(describing: error))")
            return
        }
        #expect(!marker.exists)
        await sandbox.shutdown()
    }

    @Test(.enabled(if: seccompActive, "seccomp is not available on this machine (see `orch-eval doctor`)"))
    func seccompAloneRefusesSockets() async throws {
        let listener = try LoopbackListener()
        let sandbox = Self.only(.seccomp)
        let error = await sandbox.failure(of: "import socket\nsocket.create_connection(('127.0.0.1', \(listener.port)), timeout=2)")
        #expect(error == .pythonError(type: "PermissionError", message: "[Errno 1] Operation not permitted", line: 2))
        #expect(!listener.sawConnection)
        await sandbox.shutdown()
    }

    @Test(.enabled(if: seccompActive, "seccomp is not available on this machine (see `orch-eval doctor`)"))
    func seccompAloneStopsAJobFromKillingItsServer() async {
        let sandbox = Self.only(.seccomp)
        #expect(await sandbox.stillAnswers())
        let serverBefore = await sandbox.serverProcessIDs
        let error = await sandbox.failure(of: "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
        #expect(error == .pythonError(type: "PermissionError", message: "[Errno 1] Operation not permitted", line: 2))
        #expect(await sandbox.serverProcessIDs == serverBefore)
        #expect(await sandbox.stillAnswers())
        await sandbox.shutdown()
    }

    // MARK: network namespace

    @Test(.enabled(if: networkNamespaceActive, "no network namespace can be made here (see `orch-eval doctor`)"))
    func networkNamespaceAloneCutsTheHostsLoopback() async throws {
        let listener = try LoopbackListener()
        let sandbox = Self.only(.networkNamespace)
        let error = await sandbox.failure(of: "import socket\nsocket.create_connection(('127.0.0.1', \(listener.port)), timeout=2)")
        guard case .pythonError("OSError", let message, 2) = error else {
            Issue.record("expected OSError at line 2, got \(String(describing: error))")
            return
        }
        #expect(message.contains("Network is unreachable"))
        #expect(!listener.sawConnection)
        await sandbox.shutdown()
    }

    // MARK: environment, scratch directory, timeout, caps (always on)

    @Test func jobsSeeAnEmptyEnvironment() async throws {
        let sandbox = Sandboxes.dedicated(disabling: Sandboxes.languageLayers)
        let result = try await sandbox.run(SandboxJob(code: "import os\noutput = dict(os.environ)"))
        #expect(result.output == [:])
        await sandbox.shutdown()
    }

    @Test func theScratchDirectoryIsPrivateAndRemovedAfterwards() async throws {
        let sandbox = Sandboxes.dedicated(disabling: Sandboxes.languageLayers)
        let result = try await sandbox.run(SandboxJob(code: "import os\nopen('note.txt', 'w').write('x')\noutput = [os.getcwd(), os.listdir('.')]"))
        let directory = try #require(result.output.arrayValue?.first?.stringValue)
        #expect(directory.hasPrefix(FileManager.default.temporaryDirectory.appendingPathComponent("orch-sandbox-").path))
        #expect(result.output.arrayValue?.last == ["note.txt"])
        #expect(!FileManager.default.fileExists(atPath: directory))
        await sandbox.shutdown()
    }

    @Test func theTimeoutKillsAJobThatIgnoresSignals() async {
        let sandbox = Sandboxes.dedicated(disabling: Sandboxes.languageLayers)
        let error = await sandbox.failure(of: """
            import signal, time
            for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
                signal.signal(number, signal.SIG_IGN)
            time.sleep(600)
            """, timeout: .seconds(1))
        #expect(error == .timeout(limit: .seconds(1)))
        for server in await sandbox.serverProcessIDs {
            #expect(Processes.descendants(of: server).isEmpty)
        }
        #expect(await sandbox.stillAnswers())
        await sandbox.shutdown()
    }

    @Test func stderrIsCapped() async {
        let sandbox = Sandboxes.dedicated(disabling: Sandboxes.languageLayers)
        let error = await sandbox.failure(of: "import sys\nwhile True:\n    sys.stderr.write('x' * 1000)")
        #expect(error == .outputTooLarge(stream: "stderr", limitBytes: SandboxConfiguration.default.streamLimitBytes))
        await sandbox.shutdown()
    }
}
