import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
import Testing

@Suite struct ModeTests {
    /// A cassette with one recorded `{"q":"first"}` exchange, and the server it came from.
    private func recorded() async throws -> (URL, LoopbackHTTPServer, URL) {
        let file = try temporaryDirectory().appendingPathComponent("modes.json")
        let server = try TestRoutes.server()
        let url = server.baseURL.appendingPathComponent("json")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        _ = try await recorder.send(request(url, json: #"{"q":"first"}"#))
        return (file, server, url)
    }

    @Test func neverReplaysAndReportsTheClosestInteractionOnAMiss() async throws {
        let (file, server, url) = try await recorded()
        defer { server.stop() }
        let player = try CassetteTransport(file: file, mode: .never, upstream: URLSessionTransport(), environment: hermetic)
        _ = try await player.send(request(url, json: #"{"q":"first"}"#))
        let error = await #expect(throws: CassetteError.self) {
            try await player.send(request(url.appending(queryItems: [URLQueryItem(name: "page", value: "2")]), json: #"{"q":"second","extra":true}"#))
        }
        #expect(server.requestCount == 1)
        let message = try #require(error?.message)
        #expect(error?.kind == .miss(alreadyUsed: false))
        #expect(message.contains(file.path))
        #expect(message.contains("never recorded"))
        #expect(message.contains("POST \(url.absoluteString)?page=2"))
        #expect(message.contains("Closest recorded interaction: #0"))
        #expect(message.contains(#"body.q: request "second", recorded "first""#))
        #expect(message.contains("body.extra: request true, not recorded"))
        #expect(message.contains("query page: request 2, not recorded"))
        #expect(message.contains("ORCH_RECORD=missing"))
    }

    @Test func onceDoesNotTouchTheNetworkWhenTheFileExists() async throws {
        let (file, server, url) = try await recorded()
        defer { server.stop() }
        let transport = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        _ = try await transport.send(request(url, json: #"{"q":"first"}"#))
        await #expect(throws: CassetteError.self) { try await transport.send(request(url, json: #"{"q":"new"}"#)) }
        #expect(server.requestCount == 1)
    }

    @Test func missingReplaysHitsAndRecordsTheRest() async throws {
        let (file, server, url) = try await recorded()
        defer { server.stop() }
        let transport = try CassetteTransport(file: file, mode: .missing, upstream: URLSessionTransport(), environment: hermetic)
        _ = try await transport.send(request(url, json: #"{"q":"first"}"#))
        #expect(server.requestCount == 1)
        _ = try await transport.send(request(url, json: #"{"q":"new"}"#))
        #expect(server.requestCount == 2)
        #expect(try Cassette.load(from: file).interactions.count == 2)
    }

    @Test func allReRecordsEverything() async throws {
        let (file, server, url) = try await recorded()
        defer { server.stop() }
        let before = try Cassette.load(from: file)
        let transport = try CassetteTransport(file: file, mode: .all, upstream: URLSessionTransport(), environment: hermetic)
        _ = try await transport.send(request(url, json: #"{"q":"first"}"#))
        #expect(server.requestCount == 2)
        try transport.close()  // the re-recording replaces the file when it closes
        let after = try Cassette.load(from: file)
        #expect(after.interactions.count == 1)
        #expect(after.interactions[0].response.body != before.interactions[0].response.body)  // a fresh id from the server
    }

    @Test func theEnvironmentOverridesTheModeInCode() async throws {
        let (file, server, url) = try await recorded()
        defer { server.stop() }
        let transport = try CassetteTransport(file: file, mode: .never, upstream: URLSessionTransport(),
                                              environment: ["ORCH_RECORD": "missing"])
        #expect(transport.mode == .missing)
        _ = try await transport.send(request(url, json: #"{"q":"via env"}"#))
        #expect(server.requestCount == 2)
        let error = #expect(throws: CassetteError.self) {
            try CassetteTransport(file: file, mode: .never, environment: ["ORCH_RECORD": "sometimes"])
        }
        #expect(error?.message.contains("ORCH_RECORD=sometimes") == true)
    }

    @Test func recordingIsRefusedOnCIUnlessForced() async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let dir = try temporaryDirectory()
        let url = server.baseURL.appendingPathComponent("json")
        let refused = try CassetteTransport(file: dir.appendingPathComponent("ci.json"), mode: .once,
                                            upstream: URLSessionTransport(), environment: ["CI": "true"])
        let error = await #expect(throws: CassetteError.self) { try await refused.send(request(url, json: "{}")) }
        #expect(error?.kind == .recordingRefused)
        #expect(error?.message.contains("CI") == true)
        #expect(error?.message.contains("ORCH_RECORD_FORCE=1") == true)
        #expect(server.requestCount == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("ci.json").path))

        let forced = try CassetteTransport(file: dir.appendingPathComponent("ci.json"), mode: .once,
                                           upstream: URLSessionTransport(), environment: ["CI": "true", "ORCH_RECORD_FORCE": "1"])
        _ = try await forced.send(request(url, json: "{}"))
        #expect(server.requestCount == 1)
    }

    @Test func virtualLatencyAddsUpRecordedTimeWithoutWaiting() async throws {
        let (file, server, url) = try await recorded()
        server.stop()
        let recordedMs = try Cassette.load(from: file).interactions[0].latency.totalMs
        let clock = VirtualClock()
        let player = try CassetteTransport(file: file, mode: .never,
                                           options: CassetteOptions(matching: MatchingRules(allowRepeats: true), latency: .virtual(clock)),
                                           environment: hermetic)
        // The second exchange is measured on its own too (a model call inside a step): it counts toward both.
        let (inner, measured) = try await VirtualClock.measure {
            _ = try await player.send(request(url, json: #"{"q":"first"}"#))
            return try await VirtualClock.measure { _ = try await player.send(request(url, json: #"{"q":"first"}"#)) }.1
        }
        #expect(inner == recordedMs)
        #expect(measured == 2 * recordedMs)
        #expect(clock.elapsedMs == 2 * recordedMs)
    }

    @Test func realtimeReplayStillDeliversTheSameStream() async throws {
        let file = try temporaryDirectory().appendingPathComponent("rt.json")
        let server = try TestRoutes.server()
        let sse = request(server.baseURL.appendingPathComponent("sse"), method: "GET")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let live = try await recorder.stream(sse).collect()
        server.stop()
        let player = try CassetteTransport(file: file, mode: .never, options: CassetteOptions(latency: .realtime), environment: hermetic)
        #expect(try await player.stream(sse).collect().body == live.body)
    }
}

@Suite struct MissingFileTests {
    @Test func replayingAFileThatDoesNotExistSaysSo() async throws {
        let file = try temporaryDirectory().appendingPathComponent("never-committed.json")
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let error = await #expect(throws: CassetteError.self) {
            try await player.send(request(URL(string: "https://api.example.test/v1")!, json: "{}"))
        }
        #expect(error?.kind == .miss(alreadyUsed: false))
        #expect(error?.message.contains("\(file.path) does not exist") == true, "\(error?.message ?? "")")
    }
}
