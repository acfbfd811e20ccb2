import Cassettes
import CassetteTesting
import Foundation
import Testing

/// One cassette recorded by several transports at once: two cases of a parameterized test
/// sharing a name, `swift test --parallel`, two CI jobs on one checkout. Each recorder merges
/// what it recorded into what is on disk, so none loses another's work; re-recording (`all`)
/// replaces the file, so it runs alone and a second recorder fails naming the first.
@Suite struct SharedCassetteTests {
    @Test func twoTransportsInOneProcessBothKeepWhatTheyRecord() async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let file = try temporaryDirectory().appendingPathComponent("shared.json")
        let url = server.baseURL.appendingPathComponent("json")
        let first = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let second = try CassetteTransport(file: file.deletingLastPathComponent().appendingPathComponent("./shared.json"), mode: .missing,
                                           upstream: URLSessionTransport(), environment: hermetic)
        _ = try await first.send(request(url, json: #"{"q":1}"#))
        _ = try await second.send(request(url, json: #"{"q":2}"#))
        try second.close()
        try first.close()
        let bodies = try Cassette.load(from: file).interactions.map(\.request.body)
        #expect(bodies == [.json(["q": 1]), .json(["q": 2])])

        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        _ = try await player.send(request(url, json: #"{"q":2}"#))
        _ = try await player.send(request(url, json: #"{"q":1}"#))
    }

    /// What `swift test` does with two Swift Testing tests (or two cases of a parameterized
    /// test) whose cassettes share a name: it runs them at once in one process.
    @Test func twoTestsSharingACassetteNameBothKeepTheirInteractions() async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let directory = try temporaryDirectory()
        let url = server.baseURL.appendingPathComponent("json")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for test in ["first", "second"] {
                group.addTask {
                    try await withCassette("sharedName()", mode: .missing, directory: directory, environment: hermetic) { transport in
                        for i in 0..<10 { _ = try await transport.send(request(url, json: #"{"test":"\#(test)","i":\#(i)}"#)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        let cassette = try Cassette.load(from: directory.appendingPathComponent("sharedName.json"))
        #expect(cassette.interactions.count == 20)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["sharedName.json"])
    }

    @Test func reRecordingAlongsideAnotherRecorderInThisProcessIsRefused() async throws {
        let file = try temporaryDirectory().appendingPathComponent("rerecord.json")
        let recording = try CassetteTransport(file: file, mode: .missing, upstream: URLSessionTransport(), environment: hermetic)
        let error = #expect(throws: CassetteError.self) {
            try CassetteTransport(file: file, mode: .all, upstream: URLSessionTransport(), environment: hermetic)
        }
        #expect(error?.kind == .recordingRefused)
        #expect(error?.message.contains(file.path) == true)
        #expect(error?.message.contains("another CassetteTransport in this process (pid \(getpid()))") == true, "\(error?.message ?? "")")
        try recording.close()
        // Once it has ended, re-recording may start; replaying alongside is always fine.
        let rerecording = try CassetteTransport(file: file, mode: .all, upstream: URLSessionTransport(), environment: hermetic)
        _ = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        try rerecording.close()
    }
}

@Suite(.enabled(if: RecorderProcess.built, "cassette-test-recorder is not built next to the tests (swift build --build-tests)"))
struct CrossProcessCassetteTests {
    /// The request URLs a cassette holds, as `prefix/i`.
    private func recorded(in file: URL) throws -> Set<String> {
        Set(try Cassette.load(from: file).interactions.map { String($0.request.url.dropFirst("https://api.example.test/".count)) })
    }

    private func expected(_ prefix: String, _ count: Int) -> Set<String> { Set((0..<count).map { "\(prefix)/\($0)" }) }

    @Test func twoProcessesRecordingOneCassetteAtOnceKeepEveryInteraction() async throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("shared.json")
        let results = try await onOwnThread {
            let a = try RecorderProcess(file: file, mode: "missing", prefix: "a", count: 100)
            let b = try RecorderProcess(file: file, mode: "missing", prefix: "b", count: 100)
            return (a.finish(), b.finish())
        }
        #expect(results.0.status == 0, "\(results.0.errors)")
        #expect(results.1.status == 0, "\(results.1.errors)")
        #expect(try recorded(in: file) == expected("a", 100).union(expected("b", 100)))
        #expect(try Cassette.load(from: file).interactions.count == 200)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["shared.json"])
    }

    @Test func aRecorderThatClosesAfterAnotherMergedKeepsBoth() async throws {
        let file = try temporaryDirectory().appendingPathComponent("interleaved.json")
        let (first, second) = try await onOwnThread {
            let a = try RecorderProcess(file: file, mode: "once", prefix: "a", count: 5, hold: true)
            guard a.waitFor("holding") else { return (a.finish(), (status: Int32(-1), errors: "a ended early")) }
            let b = try RecorderProcess(file: file, mode: "missing", prefix: "b", count: 5)
            let second = b.finish()
            a.release()
            return (a.finish(), second)
        }
        #expect(first.status == 0, "\(first.errors)")
        #expect(second.status == 0, "\(second.errors)")
        #expect(try recorded(in: file) == expected("a", 5).union(expected("b", 5)))
    }

    @Test func reRecordingACassetteAnotherProcessRecordsFailsNamingIt() async throws {
        let file = try temporaryDirectory().appendingPathComponent("exclusive.json")
        let (holder, rerecord, add) = try await onOwnThread {
            let a = try RecorderProcess(file: file, mode: "all", prefix: "a", count: 3, hold: true)
            guard a.waitFor("holding") else { return (a.pid, (status: Int32(-1), errors: "a ended early"), (status: Int32(-1), errors: "")) }
            let rerecord = try RecorderProcess(file: file, mode: "all", prefix: "b", count: 3).finish()
            let add = try RecorderProcess(file: file, mode: "missing", prefix: "c", count: 3).finish()
            a.release()
            #expect(a.finish().status == 0)
            return (a.pid, rerecord, add)
        }
        for refused in [rerecord, add] {
            #expect(refused.status == 1)
            #expect(refused.errors.contains("cassette \(file.path) is being recorded by process \(holder) in mode all"), "\(refused.errors)")
        }
        #expect(try recorded(in: file) == expected("a", 3))
    }

    /// SIGKILL at varied points (mid-request, mid-journal, mid-merge): whatever a recorder had
    /// acknowledged is kept, the next recorder to open the cassette merges it and removes the
    /// leftovers, and replay serves it.
    @Test func killedRecordersLoseNothingAcknowledgedAndLeaveNothingStray() async throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("killed.json")
        let acknowledged = try await onOwnThread {
            var acknowledged: Set<String> = []
            for round in 0..<20 {
                let recorder = try RecorderProcess(file: file, mode: "missing", prefix: "k\(round)", count: 6)
                _ = recorder.waitFor("recorded \(round % 6)")
                recorder.killNow()
                acknowledged.formUnion(recorder.acknowledged.map { "k\(round)/\($0)" })
            }
            return acknowledged
        }
        #expect(acknowledged.count >= 20)
        // The next recorder recovers; here one in this process that records nothing.
        try CassetteTransport(file: file, mode: .missing, upstream: URLSessionTransport(), environment: hermetic).close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["killed.json"])
        let cassette = try Cassette.load(from: file)
        #expect(CassetteCheck.problems(in: cassette, file: file).isEmpty)
        let stored = try recorded(in: file)
        #expect(stored.isSuperset(of: acknowledged))
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        for name in acknowledged.sorted() {
            let parts = name.split(separator: "/")
            let body = #"{"prefix":"\#(parts[0])","i":\#(parts[1])}"#
            _ = try await player.send(request(URL(string: "https://api.example.test/\(name)")!, json: body))
        }
    }
}
