import Foundation
import OrchJSON
import Testing

/// `orch-eval exec` runs sharing one `--idempotency-store`, as separate processes of the real
/// executable: two at once, and runs killed with SIGKILL.
@Suite("idempotency store shared between processes", .enabled(if: InterruptTests.built, "the orch-eval executable is not built next to the tests"))
struct SharedStoreTests {
    /// Plan steps `function_call compute_tax` keyed `PREFIX-I`, all independent.
    private func keyedPlan(_ prefix: String, count: Int) -> String {
        let steps = (0..<count).map { i in
            #"{"id": "\#(prefix)\#(i)", "tool": "function_call", "idempotency_key": "\#(prefix)-\#(i)", "input": {"name": "compute_tax", "args": {"amount": \#(i + 1)}}}"#
        }
        return #"{"request_id": "\#(prefix)", "steps": [\#(steps.joined(separator: ",\n"))]}"#
    }

    private func storeDocument(_ url: URL) throws -> JSONValue { try JSONValue(parsing: Data(contentsOf: url)) }

    @Test("two runs with different keys at once: the store keeps both runs' results")
    func differentKeysAtOnce() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("store.json")
        let planA = try dir.write("a.json", keyedPlan("a", count: 40))
        let planB = try dir.write("b.json", keyedPlan("b", count: 40))
        let (a, b) = try await onOwnThread {
            let a = try ExecProcess(["exec", planA, "--idempotency-store", store.path])
            let b = try ExecProcess(["exec", planB, "--idempotency-store", store.path])
            return (a.finish(), b.finish())
        }
        #expect(a.status == 0, "\(a.err)")
        #expect(b.status == 0, "\(b.err)")
        let entries = try #require(storeDocument(store)["entries"]?.objectValue)
        #expect(Set(entries.keys) == Set((0..<40).flatMap { ["a-\($0)", "b-\($0)"] }))
    }

    /// Each keyed step takes 2 s and answers with the time it finished: a key computed twice
    /// would show two different answers. (A generous timeout: on a loaded machine starting the
    /// sandbox's servers alone has taken over 30 s, and a failed step rightly hands its key on.)
    @Test("two runs of one plan at once: each key is computed by one process, the other waits and reuses it")
    func sameKeysAtOnce() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("store.json")
        let slow = (0..<4).map { i in
            #"{"id": "slow\#(i)", "tool": "code_exec", "timeout_s": 600, "idempotency_key": "slow-\#(i)", "input": {"code": "import datetime\nend = datetime.datetime.now() + datetime.timedelta(seconds=2)\nwhile datetime.datetime.now() < end:\n    pass\noutput = datetime.datetime.now().isoformat()", "input_data": {}}}"#
        }
        let quick = #"{"id": "quick", "tool": "function_call", "input": {"name": "compute_tax", "args": {"amount": 1}}}"#
        let plan = try dir.write("plan.json", #"{"request_id": "same", "steps": [\#(([quick] + slow).joined(separator: ",\n"))]}"#)
        let arguments = ["exec", plan, "--json", "--progress", "--idempotency-store", store.path]
        let (first, second) = try await onOwnThread {
            let first = try ExecProcess(arguments)
            // All steps start (and claim their keys) before any ends, so once `quick` has
            // ended the first run holds every slow key.
            _ = first.waitForProgress(containing: " quick ")
            let second = try ExecProcess(arguments)
            return (first.finish(), second.finish())
        }
        #expect(first.status == 0, "\(first.err)")
        #expect(second.status == 0, "\(second.err)")
        let runs = [try JSONValue(parsing: first.out), try JSONValue(parsing: second.out)]
        let entries = try #require(storeDocument(store)["entries"])
        for i in 0..<4 {
            let records = runs.compactMap { $0["steps"]?["slow\(i)"] }
            #expect(records.count == 2)
            #expect(records[0]["output"] == records[1]["output"], "slow\(i) was computed twice")
            #expect(records[0]["output"] == entries["slow-\(i)"]?["output"])
            #expect(records.filter { $0["attempts"] == 1 }.count == 1)
            #expect(records.filter { $0["reused_idempotency_key"] == .string("slow-\(i)") }.count == 1)
        }
        #expect(try storeDocument(store)["claims"] == nil)
    }

    @Test("runs killed with SIGKILL leave a valid store and no stray files; the next run reuses every stored result")
    func killedRuns() async throws {
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("store.json")
        let plan = try dir.write("plan.json", keyedPlan("k", count: 150))
        let folder = dir.url
        let leftovers = try await onOwnThread { () throws -> [String] in
            var unexpected: [String] = []
            for _ in 0..<20 {
                let run = try ExecProcess(["exec", plan, "--progress", "--idempotency-store", store.path])
                _ = run.waitForProgress(containing: "ok")
                run.killNow()
                if FileManager.default.fileExists(atPath: store.path) {
                    #expect(try storeDocument(store)["entries"]?.objectValue != nil)
                }
                // Only a temporary file of the killed run may remain, until the next run removes it.
                let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                unexpected += names.filter { !["plan.json", "store.json"].contains($0) && !$0.hasPrefix(".store.json.\(run.pid).") }
            }
            return unexpected
        }
        #expect(leftovers == [])
        let stored = try #require(storeDocument(store)["entries"]?.objectValue)
        #expect(!stored.isEmpty)
        let final = try await onOwnThread { try ExecProcess(["exec", plan, "--json", "--idempotency-store", store.path]).finish() }
        #expect(final.status == 0, "\(final.err)")
        let steps = try #require(JSONValue(parsing: final.out)["steps"]?.objectValue)
        let reused = Set(steps.values.compactMap { $0["reused_idempotency_key"]?.stringValue })
        #expect(reused == Set(stored.keys))
        #expect(try storeDocument(store)["entries"]?.objectValue?.count == 150)
        #expect(try storeDocument(store)["claims"] == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted() == ["plan.json", "store.json"])
    }
}

/// The real `orch-eval` as a child process. Its methods block; call them through `onOwnThread`.
final class ExecProcess: @unchecked Sendable {  // used by one test thread at a time
    private let process = Process()
    private let output = Pipe(), errors = Pipe()
    private var progress = ""

    var pid: Int32 { process.processIdentifier }

    init(_ arguments: [String]) throws {
        process.executableURL = InterruptTests.executable
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let process = self.process  // a broken build must fail the test, not hang it
        DispatchQueue.global().asyncAfter(deadline: .now() + 900) { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    /// Reads stderr until it holds `text`; false if the process ended first.
    func waitForProgress(containing text: String) -> Bool {
        while !progress.contains(text) {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { return false }
            progress += String(decoding: chunk, as: UTF8.self)
        }
        return true
    }

    func finish() -> (status: Int32, out: Data, err: String) {
        let out = output.fileHandleForReading.readDataToEndOfFile()
        progress += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, out, progress)
    }

    func killNow() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
