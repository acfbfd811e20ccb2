import Foundation
import OrchJSON
@testable import Sandbox
import Testing

/// The host side under stress: queued and cancelled jobs, shutdown with jobs in flight,
/// descriptors and processes left behind.
@Suite(.enabled(if: Python.available, Python.missing))
struct HostHygieneTests {
    @Test func aJobCancelledWhileWaitingForASlotReturnsBeforeTheSlotFrees() async throws {
        let sandbox = Sandboxes.dedicated()
        let blocker = Task { try await sandbox.run(SandboxJob(code: "while True:\n    pass", timeout: .seconds(60))) }
        // Wait until the blocker holds the only slot (its server has a child).
        while await sandbox.busyJobs == 0 { try await Task.sleep(for: .milliseconds(20)) }
        let queued = Task { await sandbox.failure(of: "output = 1") }
        while await sandbox.queuedJobs == 0 { try await Task.sleep(for: .milliseconds(20)) }
        queued.cancel()
        #expect(await queued.value == .cancelled)
        // The queued job came back while the blocker still ran: it did not wait for the slot.
        #expect(await sandbox.busyJobs == 1)
        blocker.cancel()
        _ = await blocker.result
        #expect(await sandbox.queuedJobs == 0)
        #expect(await sandbox.stillAnswers())
        await sandbox.shutdown()
    }

    @Test func shutdownWithAJobRunningLeavesNoServerBehind() async throws {
        let sandbox = Sandboxes.dedicated(disabling: Sandboxes.languageLayers)
        let job = Task { try await sandbox.run(SandboxJob(code: "import time\ntime.sleep(0.5)\noutput = 1")) }
        while await sandbox.busyJobs == 0 { try await Task.sleep(for: .milliseconds(20)) }
        await sandbox.shutdown()
        #expect(try await job.value.output == 1)
        #expect(await sandbox.serverProcessIDs.isEmpty)
        // Still usable afterwards: a later job starts a new server.
        #expect(await sandbox.stillAnswers())
        await sandbox.shutdown()
        #expect(await sandbox.serverProcessIDs.isEmpty)
    }

    /// Other suites run in parallel, so this looks at this sandbox's servers, not the whole
    /// process's descriptors (counted once with this test alone: see docs/sandbox.md).
    @Test func concurrentWarmUpsDoNotOverfillThePool() async throws {
        let sandbox = PythonSandbox(configuration: SandboxConfiguration(poolSize: 2))
        async let first: Void = sandbox.warmUp()
        async let second: Void = sandbox.warmUp()
        _ = try await (first, second)
        #expect(await sandbox.serverProcessIDs.count == 2)
        await sandbox.shutdown()
    }

    @Test func aServerKilledFromOutsideMidJobIsReplacedAndTheJobRunsAgain() async throws {
        // The job and the test talk through a file in /tmp, which the filesystem layer forbids.
        let sandbox = Sandboxes.dedicated(disabling: Sandboxes.languageLayers.union([.filesystem]))
        try await sandbox.warmUp()
        let server = try #require(await sandbox.serverProcessIDs.first)
        let marker = MarkerFile()
        // The first run signals that it started, then waits; the rerun on a new server finds the marker.
        let job = Task {
            try await sandbox.run(SandboxJob(code: """
                import os, time
                if os.path.exists('\(marker.path)'):
                    output = 'rerun'
                else:
                    open('\(marker.path)', 'w').close()
                    time.sleep(60)
                """, timeout: .seconds(90)))
        }
        defer { try? FileManager.default.removeItem(atPath: marker.path) }
        while !marker.exists { try await Task.sleep(for: .milliseconds(20)) }
        kill(server, SIGKILL)
        #expect(try await job.value.output == "rerun")
        #expect(await sandbox.serverProcessIDs.first != server)
        await sandbox.shutdown()
    }

    @Test func askingForTheLayersWhileThePoolIsBusyDoesNotAddAServer() async throws {
        let sandbox = Sandboxes.dedicated()
        let job = Task { try await sandbox.run(SandboxJob(code: "while True:\n    pass", timeout: .seconds(60))) }
        while await sandbox.busyJobs == 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try await sandbox.activeLayers()[.staticCheck]?.active == true)
        job.cancel()
        _ = await job.result
        #expect(await sandbox.serverProcessIDs.count == 1)
        await sandbox.shutdown()
    }

    @Test func aCancellationThatRacesTheAnswerNeverReachesTheNextJob() async throws {
        let sandbox = Sandboxes.dedicated()
        for round in 0..<60 {
            let job = Task { try await sandbox.run(SandboxJob(code: "output = sum(range(input))", input: .number(Double(round * 2000)))) }
            for _ in 0..<(round % 12) { await Task.yield() }
            job.cancel()
            switch await job.result {
            case .success(let result): #expect(result.output == .number(Double((0..<(round * 2000)).reduce(0, +))))
            case .failure(let error): #expect(error as? SandboxError == .cancelled)
            }
            // The next job on the same server is unaffected by a late cancel line.
            #expect(await sandbox.stillAnswers(), "round \(round)")
        }
        await sandbox.shutdown()
    }

    @Test func megabytesOfInputAndOutputMakeTheRoundTrip() async throws {
        let sandbox = PythonSandbox(configuration: SandboxConfiguration(poolSize: 1, outputLimitBytes: SandboxLimits.maxOutputBytes))
        let big = String(repeating: "é", count: 6 << 20)  // 12 MiB of UTF-8
        // A generous timeout: a debug build moving 36 MiB of escaped JSON on a loaded machine is slow.
        let result = try await sandbox.run(SandboxJob(code: "output = input[::-1]", input: .string(big), timeout: .seconds(60)))
        #expect(result.output == .string(big))
        let error = await sandbox.failure(of: "output = 'x' * (\(SandboxLimits.maxOutputBytes) + 1)")
        #expect(error == .outputTooLarge(stream: "output", limitBytes: SandboxLimits.maxOutputBytes))
        #expect(await sandbox.stillAnswers())
        await sandbox.shutdown()
    }

    @Test func aServerThatStopsAnsweringIsKilledAndReplaced() async throws {
        let sandbox = Sandboxes.dedicated()
        try await sandbox.warmUp()
        let server = try #require(await sandbox.serverProcessIDs.first)
        kill(server, SIGSTOP)
        let error = await sandbox.failure(of: "output = 1", timeout: .milliseconds(10))
        guard case .serverFailure(let why) = error else {
            Issue.record("expected serverFailure, got \(String(describing: error))")
            return
        }
        #expect(why.contains("did not answer"))
        #expect(kill(server, 0) == -1 && errno == ESRCH, "the hung server \(server) is still there")
        #expect(await sandbox.stillAnswers())
        await sandbox.shutdown()
    }

    @Test func droppingASandboxStopsAndReapsItsIdleServers() async throws {
        var servers: [Int32] = []
        do {
            let sandbox = PythonSandbox(configuration: SandboxConfiguration(poolSize: 2))
            try await sandbox.warmUp()
            servers = await sandbox.serverProcessIDs
        }
        #expect(servers.count == 2)
        for server in servers {
            // Reaped, not a zombie: the process id no longer exists.
            #expect(kill(server, 0) == -1 && errno == ESRCH, "server \(server) is still there")
        }
    }

    @Test func manyJobsWithoutPythonAllFailWithoutHangingTheQueue() async {
        let sandbox = PythonSandbox(configuration: SandboxConfiguration(poolSize: 2, environment: ["PATH": "/nonexistent"]))
        let errors = await withTaskGroup(of: SandboxError?.self) { group in
            for _ in 0..<20 { group.addTask { await sandbox.failure(of: "output = 1") } }
            return await group.reduce(into: [SandboxError?]()) { $0.append($1) }
        }
        #expect(errors.count == 20)
        #expect(errors.allSatisfy { if case .pythonUnavailable = $0 { true } else { false } })
        #expect(await sandbox.busyJobs == 0)
    }

    @Test func manyJobsLeaveNoServersBehind() async throws {
        let sandbox = PythonSandbox(configuration: SandboxConfiguration(poolSize: 2))
        let snippets = ["output = sum(input)", "raise ValueError('x')", "output = {1}", "import os", "def f(:"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { _ = try? await sandbox.run(SandboxJob(code: snippets[index % snippets.count], input: [1, 2])) }
            }
            try await group.waitForAll()
        }
        // Cancelled ones too: while queued and while running.
        for _ in 0..<10 {
            let task = Task { try await sandbox.run(SandboxJob(code: "while True:\n    pass", timeout: .seconds(30))) }
            try await Task.sleep(for: .milliseconds(30))
            task.cancel()
            _ = await task.result
        }
        await sandbox.shutdown()
        #expect(await sandbox.serverProcessIDs.isEmpty)
        #expect(await sandbox.busyJobs == 0)
        #expect(await sandbox.queuedJobs == 0)
    }

    @Test func longJobsDoNotTieUpSwiftsCooperativeThreads() async throws {
        let count = 2 * ProcessInfo.processInfo.activeProcessorCount
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("orch-sandbox-coop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: marker, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o777])
        defer { try? FileManager.default.removeItem(at: marker) }
        // Each job waits until the host has written a file, which the host does only from
        // an ordinary async task: if the jobs held every cooperative thread, that never happens.
        var configuration = SandboxConfiguration(poolSize: count)
        // The jobs wait for a file in /tmp, which the filesystem layer forbids them to see.
        configuration.disabledLayers = Sandboxes.languageLayers.union([.filesystem])
        let sandbox = PythonSandbox(configuration: configuration)
        let code = """
            import os, time
            while not os.path.exists('\(marker.path)/go'):
                time.sleep(0.01)
            output = 1
            """
        let jobs = (0..<count).map { _ in Task { try await sandbox.run(SandboxJob(code: code, timeout: .seconds(60))).output } }
        while await sandbox.busyJobs < count { try await Task.sleep(for: .milliseconds(20)) }
        let wrote = await Task.detached { FileManager.default.createFile(atPath: marker.path + "/go", contents: Data()) }.value
        #expect(wrote)
        for job in jobs { #expect(try await job.value == 1) }
        await sandbox.shutdown()
    }
}

