import Foundation
import OrchJSON
@testable import Orchestrator
import Testing

/// Claims in a store file: what another process computing a key looks like to this one.
/// (Two real processes sharing a store: OrchEvalCLITests/SharedStoreTests.)
@Suite("idempotency claims")
struct IdempotencyClaimTests {
    let plan = #"{"request_id": "r", "steps": [{"id": "a", "tool": "echo", "input": {"v": 1}, "idempotency_key": "k"}]}"#

    private func store(claimedBy pid: Int32) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("claims-\(UUID().uuidString).json")
        try Data(#"{"format_version": 1, "entries": {}, "claims": {"k": {"pid": \#(pid), "since": "2026-01-01T00:00:00Z"}}}"#.utf8).write(to: file)
        return file
    }

    @Test("a key held by a running process is waited for; past claimWait the step fails naming that process")
    func heldKeyTimesOut() async throws {
        let file = try store(claimedBy: 1)  // pid 1 is always running
        defer { try? FileManager.default.removeItem(at: file) }
        let echo = EchoTool()
        let result = try await runPlan(plan, tools: [echo], options: EngineOptions(
            idempotencyStore: try IdempotencyStore(file: file, claimWait: .milliseconds(100))))
        #expect(echo.calls == 0)
        #expect(result["a"]?.status == .failed)
        #expect(result["a"]?.error?.code == "idempotency_wait_timeout")
        #expect(result["a"]?.error?.message.contains("idempotency key 'k' is being computed by process 1") == true)
        #expect(result["a"]?.error?.message.contains(file.path) == true)
    }

    @Test("a claim left by a process that is gone has expired: the key is computed and stored, the claim removed")
    func deadClaimExpires() async throws {
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/sh")
        gone.arguments = ["-c", "exit 0"]
        try gone.run()
        gone.waitUntilExit()
        let file = try store(claimedBy: gone.processIdentifier)
        defer { try? FileManager.default.removeItem(at: file) }
        let echo = EchoTool()
        let result = try await runPlan(plan, tools: [echo], options: EngineOptions(idempotencyStore: try IdempotencyStore(file: file)))
        #expect(echo.calls == 1)
        #expect(result["a"]?.status == .succeeded)
        let stored = try JSONValue(parsing: Data(contentsOf: file))
        #expect(stored["entries"]?["k"]?["output"] == ["v": 1])
        #expect(stored["claims"] == nil)
    }

    @Test("a step that fails gives its claim up, so the next run computes the key")
    func failureReleasesTheClaim() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("claims-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let failing = #"{"request_id": "r", "steps": [{"id": "a", "tool": "fail", "input": {}, "idempotency_key": "k"}]}"#
        let result = try await runPlan(failing, tools: [FailingTool()], options: EngineOptions(idempotencyStore: try IdempotencyStore(file: file)))
        #expect(result["a"]?.status == .failed)
        #expect(try JSONValue(parsing: Data(contentsOf: file))["claims"] == nil)
    }
}
