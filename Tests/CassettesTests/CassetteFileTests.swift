@testable import Cassettes
import Foundation
import OrchJSON
import Testing

@Suite struct CassetteFileTests {
    private func sample() -> Cassette {
        Cassette(metadata: CassetteMetadata(recordedAt: "2026-01-01T00:00:00Z", origin: .synthetic, notes: "hand-written"),
                 interactions: [
                     Interaction(request: RecordedRequest(method: "POST", url: "https://api.example.test/v1/a",
                                                          headers: ["content-type": "application/json"], body: .json(["b": 1, "a": [true, nil]])),
                                 response: RecordedResponse(status: 200, headers: ["content-type": "text/plain"], body: .text("ok")),
                                 latency: Latency(totalMs: 12.5, firstByteMs: 3)),
                     Interaction(request: RecordedRequest(method: "GET", url: "https://api.example.test/v1/b"),
                                 response: RecordedResponse(status: 200, body: .bytes(Data([0, 0xFF, 0x10])),
                                                            chunks: [.init(offsetMs: 1, data: Data("data: x\n\n".utf8))],
                                                            streamInterrupted: "connection lost"),
                                 latency: Latency(totalMs: 40)),
                 ])
    }

    @Test func roundTripsThroughAPrettySortedFile() throws {
        let file = try temporaryDirectory().appendingPathComponent("sample.json")
        var original = sample()
        original.interactions[1].response.body = .empty  // a streamed response keeps its body in chunks
        try original.save(to: file)
        #expect(try Cassette.load(from: file) == original)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"format_version\": 1,\n  \"interactions\": ["))
        #expect(text.contains("\"origin\": \"synthetic\""))
        #expect(text.contains("\"offset_ms\": 1"))
        #expect(text.contains("\"stream_interrupted\": \"connection lost\""))
        #expect(try parse(Data(text.utf8)).serialized(.pretty) + "\n" == text)  // keys sorted, stable layout
    }

    @Test func aCorruptedOrTruncatedCassetteNamesTheFile() throws {
        let dir = try temporaryDirectory()
        let good = dir.appendingPathComponent("good.json")
        try sample().save(to: good)
        let data = try Data(contentsOf: good)

        let truncated = dir.appendingPathComponent("truncated.json")
        try data.prefix(data.count / 2).write(to: truncated)
        let cut = #expect(throws: CassetteError.self) { try Cassette.load(from: truncated) }
        #expect(cut?.kind == .invalid)
        #expect(cut?.message.contains(truncated.path) == true)
        #expect(cut?.message.contains("line") == true)
        let transportError = #expect(throws: CassetteError.self) { try CassetteTransport(file: truncated, environment: hermetic) }
        #expect(transportError?.file == truncated.path)
        #expect(transportError?.message.contains("cut short") == true)

        // A bad value inside one interaction is found when the cassette is opened, located by line.
        let text = String(decoding: data, as: UTF8.self)
        let garbled = dir.appendingPathComponent("garbled.json")
        try Data(text.replacingOccurrences(of: "\"status\": 200", with: "\"status\": 2x0").utf8).write(to: garbled)
        let garbledError = #expect(throws: CassetteError.self) { try CassetteTransport(file: garbled, environment: hermetic) }
        #expect(garbledError?.kind == .invalid)
        #expect(garbledError?.message.contains(garbled.path) == true)
        let line = text.prefix(upTo: try #require(text.range(of: "\"status\": 200")).lowerBound).filter { $0 == "\n" }.count + 1
        #expect(garbledError?.message.contains("line \(line),") == true)

        let wrongShape = dir.appendingPathComponent("shape.json")
        try Data(#"{"format_version":1,"metadata":{"origin":"live"},"interactions":[{"request":{"url":"u"},"response":{"status":200},"latency":{"total_ms":1}}]}"#.utf8).write(to: wrongShape)
        let shape = #expect(throws: CassetteError.self) { try Cassette.load(from: wrongShape) }
        #expect(shape?.message.contains("interactions.0.request.method is missing") == true)
        #expect(shape?.message.contains(wrongShape.path) == true)
    }

    @Test func aWriteInterruptedBeforeTheRenameLeavesTheOldFile() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("atomic.json")
        try sample().save(to: file)
        let before = try Data(contentsOf: file)
        struct Crash: Error {}
        var changed = sample()
        changed.interactions.removeLast()
        #expect(throws: (any Error).self) {
            try changed.save(to: file, scanner: SecretScanner(), beforeRename: { throw Crash() })
        }
        #expect(try Data(contentsOf: file) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["atomic.json"])  // no temp file left
    }

    @Test func largeBase64InsideAJSONBodyGoesToASideFileAndStillMatches() async throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("ocr.json")
        let image = TestRoutes.binary(count: 30_000).base64EncodedString()
        let prose = String(repeating: "A long prompt, kept inline where it diffs well. ", count: 400)
        let body = #"{"image":"data:image/png;base64,\#(image)","prompt":"\#(prose)","task":"ocr"}"#
        let server = try TestRoutes.server()
        let url = server.baseURL.appendingPathComponent("json")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let live = try await recorder.send(request(url, json: body))
        server.stop()

        let stored = try String(contentsOf: file, encoding: .utf8)
        #expect(!stored.contains(image))
        #expect(stored.contains(prose))
        let hex = SHA256.hex(Data(("data:image/png;base64," + image).utf8))
        #expect(stored.contains("blob:sha256:\(hex)"))
        #expect(try String(contentsOf: dir.appendingPathComponent("blobs/\(hex)"), encoding: .utf8) == "data:image/png;base64," + image)
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let replayed = try await player.send(request(url, json: body))
        #expect(try parse(replayed.body) == parse(live.body))  // the echoed image comes back from the side file
    }

    @Test func sha256MatchesKnownDigests() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(String(repeating: "a", count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
