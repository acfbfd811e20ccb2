import Foundation
import OrchJSON
@testable import Sandbox
import Testing

/// The warm pool: jobs start from a clean state, parallelism is bounded, failures of the
/// machinery itself are reported and recovered from.
@Suite(.enabled(if: Python.available, Python.missing))
struct PoolTests {
    @Test func nothingLeaksFromOneJobToTheNext() async throws {
        let sandbox = Sandboxes.dedicated()
        _ = try await sandbox.run(SandboxJob(code: """
            import math, decimal
            leaked = 'global'
            math.pi = 3
            decimal.getcontext().prec = 2
            """))
        let result = try await sandbox.run(SandboxJob(code: """
            import math, decimal
            output = ['leaked' in dir(), math.pi, str(decimal.Decimal(1) / decimal.Decimal(8))]
            """))
        #expect(result.output == [false, .number(Double.pi), "0.125"])
        #expect(await sandbox.serverProcessIDs.count == 1)
        await sandbox.shutdown()
    }

    @Test func tamperingWithBuiltinsModulesOrFilesDoesNotLeak() async throws {
        let sandbox = Sandboxes.dedicated(disabling: Sandboxes.languageLayers)
        _ = try await sandbox.run(SandboxJob(code: """
            import builtins, sys, json
            builtins.len = lambda x: 42
            sys.modules['json'] = None
            json.dumps = None
            open('left-behind.txt', 'w').write('x')
            """))
        let result = try await sandbox.run(SandboxJob(code: "import os, json\noutput = [len([1, 2]), json.dumps(1), os.listdir('.')]"))
        #expect(result.output == [2, "1", []])
        await sandbox.shutdown()
    }

    @Test func parallelJobsAreBoundedByThePoolSize() async throws {
        let slots = FileManager.default.temporaryDirectory.appendingPathComponent("orch-sandbox-slots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: slots, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o777])
        defer { try? FileManager.default.removeItem(at: slots) }
        var configuration = SandboxConfiguration(poolSize: 2)
        // The jobs count each other through a shared folder, which the filesystem layer forbids.
        configuration.disabledLayers = Sandboxes.languageLayers.union([.filesystem])
        let sandbox = PythonSandbox(configuration: configuration)
        // Each job holds a slot file while it runs and reports how many it saw at once.
        let code = """
            import os, time
            mine = os.path.join('\(slots.path)', str(os.getpid()))
            open(mine, 'w').close()
            time.sleep(0.2)
            output = len(os.listdir('\(slots.path)'))
            os.remove(mine)
            """
        let seen = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { try await sandbox.run(SandboxJob(code: code)).output.intValue ?? -1 }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(seen.count == 8)
        #expect(seen.allSatisfy { (1...2).contains($0) }, "saw \(seen)")
        #expect(await sandbox.serverProcessIDs.count <= 2)
        await sandbox.shutdown()
    }

    @Test func cancellingTheCallerKillsTheJob() async {
        let sandbox = Sandboxes.dedicated()
        let task = Task { await sandbox.failure(of: "while True:\n    pass", timeout: .seconds(60)) }
        try? await Task.sleep(for: .milliseconds(300))
        task.cancel()
        #expect(await task.value == .cancelled)
        for server in await sandbox.serverProcessIDs {
            #expect(Processes.descendants(of: server).isEmpty)
        }
        #expect(await sandbox.stillAnswers())
        await sandbox.shutdown()
    }

    @Test func aServerKilledFromOutsideIsReplaced() async throws {
        let sandbox = Sandboxes.dedicated()
        #expect(await sandbox.stillAnswers())
        let first = try #require(await sandbox.serverProcessIDs.first)
        kill(first, SIGKILL)
        #expect(await sandbox.stillAnswers())
        #expect(await sandbox.serverProcessIDs.first != first)
        await sandbox.shutdown()
    }

    @Test func warmUpStartsThePool() async throws {
        let sandbox = PythonSandbox(configuration: SandboxConfiguration(poolSize: 3))
        try await sandbox.warmUp()
        #expect(await sandbox.serverProcessIDs.count == 3)
        await sandbox.shutdown()
        #expect(await sandbox.serverProcessIDs.isEmpty)
    }

    @Test func probeReportsEveryLayer() throws {
        let layers = try PythonSandbox.probe()
        #expect(layers.statuses.map(\.layer) == SandboxLayer.allCases)
        #expect(layers[.staticCheck]?.active == true)
        #expect(layers.statuses.allSatisfy { !$0.detail.isEmpty })
        #expect(layers.json["active"]?.arrayValue?.contains("static_check") == true)
    }
}

/// Limits and inputs the host checks before any process is involved.
struct SandboxJobTests {
    @Test func limitsAreClampedToTheHardMaxima() throws {
        let job = try ResolvedJob(SandboxJob(code: "", timeout: .seconds(100_000), memoryLimitBytes: 1 << 40, cpuSeconds: 10_000),
                                  configuration: .default)
        #expect(job.timeout == SandboxLimits.maxTimeout)
        #expect(job.memoryBytes == SandboxLimits.maxMemoryBytes)
        #expect(job.cpuSeconds == SandboxLimits.maxCPUSeconds)
        let small = try ResolvedJob(SandboxJob(code: "", timeout: .zero, memoryLimitBytes: 1), configuration: .default)
        #expect(small.timeout == SandboxLimits.minTimeout)
        #expect(small.memoryBytes == SandboxLimits.minMemoryBytes)
    }

    @Test func cpuSecondsDefaultToJustPastTheTimeout() throws {
        let job = try ResolvedJob(SandboxJob(code: "", timeout: .milliseconds(2500)), configuration: .default)
        #expect(job.cpuSeconds == 4)
    }

    @Test func tooMuchCodeIsRefusedWithItsSize() {
        let code = String(repeating: "x = 1\n", count: SandboxLimits.maxCodeBytes / 6 + 1)
        #expect(throws: SandboxError.self) { try ResolvedJob(SandboxJob(code: code), configuration: .default) }
    }

    @Test func tooMuchInputIsRefusedBeforeAnyProcessStarts() throws {
        let input = JSONValue.string(String(repeating: "x", count: SandboxLimits.maxInputBytes + SandboxLimits.maxCodeBytes))
        let job = try ResolvedJob(SandboxJob(code: "output = len(input)", input: input), configuration: .default)
        #expect(throws: SandboxError.self) { try job.requestLine() }
    }

    @Test(.enabled(if: Python.available, Python.missing))
    func theSmallestMemoryLimitStillRunsOrdinaryCode() async throws {
        let job = SandboxJob(code: "import statistics\noutput = statistics.mean(input)", input: [1, 2, 3], memoryLimitBytes: 1)
        let result = try await Sandboxes.shared.run(job)
        #expect(result.output == 2)
    }

    @Test func aMissingInterpreterSaysToInstallPython() async {
        let sandbox = PythonSandbox(configuration: SandboxConfiguration(pythonExecutable: "/nonexistent/python3"))
        let error = await sandbox.failure(of: "output = 1")
        guard case .pythonUnavailable = error else {
            Issue.record("expected pythonUnavailable, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("Install python3") == true)
    }

    @Test func noPython3OnPathIsReported() async {
        let sandbox = PythonSandbox(configuration: SandboxConfiguration(environment: ["PATH": "/nonexistent"]))
        let error = await sandbox.failure(of: "output = 1")
        #expect(error == .pythonUnavailable("no executable named python3 on PATH (/nonexistent)"))
    }
}
