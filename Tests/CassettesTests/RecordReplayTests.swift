import Cassettes
import Foundation
import OrchJSON
import Testing

/// Records from a real loopback server, stops it, and replays.
@Suite struct RecordReplayTests {
    @Test func recordsEveryKindOfResponseThenReplaysWithTheServerStopped() async throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("kinds.json")
        let server = try TestRoutes.server()
        let base = server.baseURL
        let requests = [
            request(base.appendingPathComponent("json"), json: #"{"prompt":"hi","n":1}"#),
            request(base.appendingPathComponent("text"), method: "GET"),
            request(base.appendingPathComponent("binary"), method: "GET"),
            request(base.appendingPathComponent("small-binary"), method: "GET"),
            request(base.appendingPathComponent("slow"), method: "GET"),
            request(base.appendingPathComponent("status/429"), method: "GET"),
            request(base.appendingPathComponent("status/500"), method: "GET"),
        ]
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        var live: [HTTPResponse] = []
        for r in requests { live.append(try await recorder.send(r)) }
        #expect(live.map(\.status) == [200, 200, 200, 200, 200, 429, 500])
        #expect(server.requestCount == requests.count)
        server.stop()

        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        for (r, original) in zip(requests, live) {
            let replayed = try await player.send(r)
            #expect(replayed.status == original.status)
            #expect(replayed.headers["retry-after"] == original.headers["retry-after"])
            if original.headers["content-type"] == "application/json" {
                #expect(try parse(replayed.body) == parse(original.body))
            } else {
                #expect(replayed.body == original.body)
            }
        }
        #expect(live[5].headers["retry-after"] == "2")

        // Stored forms: JSON as JSON, text as text, large binary in a side file, volatile headers gone.
        let stored = try parse(Data(contentsOf: file))
        let interactions = try #require(stored["interactions"]?.arrayValue)
        let byPath = Dictionary(interactions.map { ($0["request"]?["url"]?.stringValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let json = try #require(byPath[base.appendingPathComponent("json").absoluteString])
        #expect(json["response"]?["body"]?["json"]?["received"]?["prompt"] == "hi")
        #expect(json["response"]?["headers"]?["x-request-id"] == nil)
        #expect(json["response"]?["headers"]?["date"] == nil)
        #expect(json["response"]?["headers"]?["set-cookie"] == nil)
        #expect(byPath[base.appendingPathComponent("text").absoluteString]?["response"]?["body"]?["text"] == "hello, text ✓\n")
        let blob = try #require(byPath[base.appendingPathComponent("binary").absoluteString]?["response"]?["body"]?["file"]?.stringValue)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("blobs/\(blob)").path))
        #expect(byPath[base.appendingPathComponent("small-binary").absoluteString]?["response"]?["body"]?["base64"] != nil)
        let total = try #require(json["latency"]?["total_ms"]?.doubleValue)
        let firstByte = try #require(json["latency"]?["first_byte_ms"]?.doubleValue)
        #expect(0 <= firstByte && firstByte <= total)
    }

    @Test func streamsAreRecordedChunkByChunkAndReplayed() async throws {
        let file = try temporaryDirectory().appendingPathComponent("sse.json")
        let server = try TestRoutes.server()
        let sse = request(server.baseURL.appendingPathComponent("sse"), method: "GET")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let liveBody = try await recorder.stream(sse).collect().body
        #expect(String(decoding: liveBody, as: UTF8.self) == TestRoutes.events.joined())
        server.stop()

        let stored = try Cassette.load(from: file)
        let chunks = try #require(stored.interactions.first?.response.chunks)
        #expect(chunks.count >= 2)
        #expect(chunks.map(\.offsetMs) == chunks.map(\.offsetMs).sorted())
        #expect(stored.interactions.first?.latency.firstByteMs != nil)

        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        var replayedChunks: [Data] = []
        for try await chunk in try await player.stream(sse).chunks { replayedChunks.append(chunk) }
        #expect(replayedChunks == chunks.map(\.data))
        // A caller that does not stream gets the chunks joined into one body.
        let joined = try await CassetteTransport(file: file, mode: .never, environment: hermetic).send(sse)
        #expect(joined.body == liveBody)
    }

    @Test func aStreamCutOffWhileRecordingReplaysCutOff() async throws {
        let file = try temporaryDirectory().appendingPathComponent("cut.json")
        let server = try TestRoutes.server()
        let cut = request(server.baseURL.appendingPathComponent("sse-cut"), method: "GET")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        var liveReceived = Data()
        await #expect(throws: (any Error).self) {
            for try await chunk in try await recorder.stream(cut).chunks { liveReceived.append(chunk) }
        }
        server.stop()
        #expect(try Cassette.load(from: file).interactions.first?.response.streamInterrupted != nil)

        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        var replayed = Data()
        let error = await #expect(throws: CassetteError.self) {
            for try await chunk in try await player.stream(cut).chunks { replayed.append(chunk) }
        }
        #expect(error?.kind == .streamInterrupted)
        #expect(replayed == liveReceived)
    }

    @Test func jsonKeyOrderAndQueryOrderDoNotMatter() async throws {
        let file = try temporaryDirectory().appendingPathComponent("order.json")
        let server = try TestRoutes.server()
        defer { server.stop() }
        let url = URL(string: "\(server.baseURL)/json?b=2&a=1")!
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let live = try await recorder.send(request(url, json: #"{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":0}"#))

        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let reordered = URL(string: "\(server.baseURL)/json?a=1&b=2")!
        let replayed = try await player.send(request(reordered, json: #"{ "temperature": 0, "messages": [{"content":"x","role":"user"}], "model": "m" }"#))
        #expect(try parse(replayed.body) == parse(live.body))
    }

    @Test func fiftyConcurrentRequestsReplayDeterministically() async throws {
        let file = try temporaryDirectory().appendingPathComponent("concurrent.json")
        let server = try TestRoutes.server()
        let url = server.baseURL.appendingPathComponent("json")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let live = try await sendConcurrently(50, url: url, through: recorder)
        server.stop()
        let firstFile = try Data(contentsOf: file)

        for _ in 0..<3 {
            let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
            let replayed = try await sendConcurrently(50, url: url, through: player)
            #expect(replayed == live)  // each request gets its own recorded answer, whatever the arrival order
        }
        for i in 0..<50 { #expect(live[i]?["received"]?["n"] == .number(Double(i))) }
        #expect(try Data(contentsOf: file) == firstFile)
    }

    private func sendConcurrently(_ count: Int, url: URL, through transport: CassetteTransport) async throws -> [Int: JSONValue] {
        try await withThrowingTaskGroup(of: (Int, JSONValue).self) { group in
            for i in 0..<count {
                group.addTask { (i, try parse(try await transport.send(request(url, json: #"{"n":\#(i)}"#)).body)) }
            }
            var results: [Int: JSONValue] = [:]
            for try await (i, value) in group { results[i] = value }
            return results
        }
    }

    @Test func identicalRequestsAreServedInRecordedOrderThenRunOut() async throws {
        let file = try temporaryDirectory().appendingPathComponent("repeat.json")
        let server = try TestRoutes.server()
        let same = request(server.baseURL.appendingPathComponent("json"), json: #"{"q":"same"}"#)
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let first = try parse(try await recorder.send(same).body)
        let second = try parse(try await recorder.send(same).body)
        #expect(first["id"] != second["id"])
        server.stop()

        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        #expect(try parse(try await player.send(same).body)["id"] == first["id"])
        #expect(try parse(try await player.send(same).body)["id"] == second["id"])
        let error = await #expect(throws: CassetteError.self) { try await player.send(same) }
        #expect(error?.kind == .miss(alreadyUsed: true))
        #expect(error?.message.contains("already") == true)

        let repeating = try CassetteTransport(file: file, mode: .never,
                                              options: CassetteOptions(matching: MatchingRules(allowRepeats: true)), environment: hermetic)
        for _ in 0..<3 { _ = try await repeating.send(same) }
        #expect(try parse(try await repeating.send(same).body)["id"] == second["id"])
    }
}
