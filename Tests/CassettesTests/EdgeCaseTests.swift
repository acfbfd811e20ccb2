import Cassettes
import Foundation
import OrchJSON
import Testing

/// Matching, mode, file and stream edge cases: each one an input a first version got wrong
/// or could plausibly get wrong.
@Suite struct EdgeCaseTests {
    private func cassette(_ interactions: [Interaction]) throws -> URL {
        let file = try temporaryDirectory().appendingPathComponent("edge.json")
        try Cassette(interactions: interactions).save(to: file)
        return file
    }

    private func interaction(_ method: String = "POST", _ url: String, body: StoredBody = .empty,
                             response: RecordedResponse = RecordedResponse(status: 200, body: .json(["ok": true]))) -> Interaction {
        let headers = body == .empty ? [:] : ["content-type": "application/json"]
        return Interaction(request: RecordedRequest(method: method, url: url, headers: headers, body: body), response: response,
                           latency: Latency(totalMs: 4))
    }

    // MARK: Matching

    @Test func equivalentSpellingsOfAURLMatch() {
        // Per RFC 3986 §6.2.2: an empty path is "/", percent-encoding hex is upper case and
        // unreserved characters are not encoded.
        #expect(URLNormalizer.normalize(URL(string: "https://api.example.test")!) == "https://api.example.test/")
        #expect(URLNormalizer.normalize(URL(string: "https://api.example.test?a=1")!) == "https://api.example.test/?a=1")
        #expect(URLNormalizer.normalize(URL(string: "https://h/%7euser/a%2fb?q=%7e%2f")!) == "https://h/~user/a%2Fb?q=~%2F")
        // Parameters sort by name; a repeated one keeps the order of its values, which is a list's order.
        #expect(URLNormalizer.normalize(URL(string: "https://h/p?b=1&ids=2&a=0&ids=1")!) == "https://h/p?a=0&b=1&ids=2&ids=1")
        #expect(URLNormalizer.normalize(URL(string: "https://h/p?ids=2&ids=1")!) != URLNormalizer.normalize(URL(string: "https://h/p?ids=1&ids=2")!))
        // Different resources stay different.
        #expect(URLNormalizer.normalize(URL(string: "https://h/v1/models/")!) != URLNormalizer.normalize(URL(string: "https://h/v1/models")!))
        #expect(URLNormalizer.normalize(URL(string: "https://h/a%2Fb")!) != URLNormalizer.normalize(URL(string: "https://h/a/b")!))
        #expect(URLNormalizer.normalize(URL(string: "https://h/p?q=a+b")!) != URLNormalizer.normalize(URL(string: "https://h/p?q=a%2Bb")!))
    }

    @Test func aHostWithoutPathReplaysWhatWasRecordedWithASlash() async throws {
        let file = try cassette([interaction("GET", "https://api.example.test/")])
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let response = try await player.send(HTTPRequest(method: "GET", url: URL(string: "https://API.example.test:443")!))
        #expect(response.status == 200)
    }

    @Test func jsonBodiesMatchAsValues() async throws {
        let recorded: JSONValue = ["n": 1, "s": "é", "items": [["b": 2, "a": ["y": 1, "x": 0]], ["c": 3]]]
        let file = try cassette([interaction("POST", "https://api.example.test/v1", body: .json(recorded))])
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let response = try await player.send(request(URL(string: "https://api.example.test/v1")!,
                                                     json: #" { "items": [ {"a": {"x": 0.0, "y": 1e0}, "b": 2.0}, {"c": 3} ], "s": "\u00e9", "n": 1.0 } "#))
        #expect(response.status == 200)
    }

    @Test func ignoredPathsWithArrayWildcardsLeaveTheRestCompared() async throws {
        let file = try cassette([interaction("POST", "https://api.example.test/v1",
                                             body: .json(["messages": [["id": "a", "text": "hi"], ["id": "b", "text": "there"]]]))])
        let rules = MatchingRules(ignoredBodyPaths: [JSONPath("messages.*.id")])
        let player = try CassetteTransport(file: file, mode: .never, options: CassetteOptions(matching: rules), environment: hermetic)
        let url = URL(string: "https://api.example.test/v1")!
        let error = await #expect(throws: CassetteError.self) {
            try await player.send(request(url, json: #"{"messages":[{"id":"x","text":"hi"},{"id":"y","text":"THERE"}]}"#))
        }
        #expect(error?.message.contains("body.messages.1.text") == true)
        #expect(error?.message.contains(".id") == false)
        _ = try await player.send(request(url, json: #"{"messages":[{"id":"x","text":"hi"},{"id":"y","text":"there"}]}"#))
    }

    // MARK: Modes

    @Test func theModeVariableIgnoresCaseAndSurroundingSpace() throws {
        #expect(try RecordMode.resolve(.never, environment: ["ORCH_RECORD": " Missing\n"], file: "f.json") == .missing)
        #expect(try RecordMode.resolve(.never, environment: ["ORCH_RECORD": "ALL"], file: "f.json") == .all)
        #expect(try RecordMode.resolve(.once, environment: ["ORCH_RECORD": "  "], file: "f.json") == .once)
        let error = #expect(throws: CassetteError.self) {
            try RecordMode.resolve(.never, environment: ["ORCH_RECORD": "record"], file: "f.json")
        }
        #expect(error?.kind == .badConfiguration)
        #expect(error?.message.contains("never, once, missing, all") == true)
    }

    // MARK: Files

    @Test func anythingButACassetteIsAnErrorNamingTheFile() throws {
        let dir = try temporaryDirectory()
        let bodies = ["", "[]", "null", "{}", #"{"format_version":99,"interactions":[]}"#, #"{"format_version":1,"interactions":[1]}"#,
                      #"{"format_version":1,"interactions":{}}"#]
        for (i, text) in bodies.enumerated() {
            let file = dir.appendingPathComponent("bad-\(i).json")
            try Data(text.utf8).write(to: file)
            let opened = #expect(throws: CassetteError.self, "\(text)") { try CassetteTransport(file: file, environment: hermetic) }
            #expect(opened?.message.contains(file.path) == true, "\(text): \(opened?.message ?? "")")
            let loaded = #expect(throws: CassetteError.self, "\(text)") { try Cassette.load(from: file) }
            #expect(loaded?.message.contains(file.path) == true, "\(text): \(loaded?.message ?? "")")
        }
    }

    @Test func aSideFileNameMustBeAHash() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("escape.json")
        let name = String(repeating: "../", count: 21) + "x"  // 64 characters, not a hash
        try Data(#"{"format_version":1,"metadata":{"origin":"synthetic"},"interactions":[{"request":{"method":"GET","url":"https://h/"},"response":{"status":200,"body":{"file":"\#(name)","size":1}},"latency":{"total_ms":1}}]}"#.utf8)
            .write(to: file)
        let error = #expect(throws: CassetteError.self) { try Cassette.load(from: file) }
        #expect(error?.message.contains("interactions.0.response.body") == true)
    }

    @Test func aMissingSideFileOnReplayIsNamed() async throws {
        let server = try TestRoutes.server()
        let file = try temporaryDirectory().appendingPathComponent("blob.json")
        let binary = request(server.baseURL.appendingPathComponent("binary"), method: "GET")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let live = try await recorder.send(binary)
        server.stop()
        let blob = try #require(Cassette.load(from: file).interactions[0].response.body.blobReferences.first)
        let blobFile = BlobStore(nextTo: file).url(for: blob)
        #expect(try SHA256.hex(Data(contentsOf: blobFile)) == blob)
        #expect(try Data(contentsOf: blobFile) == live.body)
        try FileManager.default.removeItem(at: blobFile)
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let error = await #expect(throws: CassetteError.self) { try await player.send(binary) }
        #expect(error?.message.contains(blobFile.path) == true)
        #expect(error?.message.contains("missing") == true)
    }

    // MARK: Streams

    @Test func anEmptyStreamRoundTripsAndReplaysEmpty() async throws {
        var response = RecordedResponse(status: 200, headers: ["content-type": "text/event-stream"])
        response.chunks = []
        let file = try cassette([interaction("GET", "https://api.example.test/sse", response: response)])
        #expect(try Cassette.load(from: file).interactions[0].response.chunks == [])
        let clock = VirtualClock()
        let player = try CassetteTransport(file: file, mode: .never, options: CassetteOptions(latency: .virtual(clock)), environment: hermetic)
        let replayed = try await player.stream(HTTPRequest(method: "GET", url: URL(string: "https://api.example.test/sse")!))
        var count = 0
        for try await _ in replayed.chunks { count += 1 }
        #expect(count == 0)
        #expect(clock.elapsedMs == 4)
    }

    @Test func aCutOffStreamReplaysCutOffUnderTheVirtualClock() async throws {
        let server = try TestRoutes.server()
        let file = try temporaryDirectory().appendingPathComponent("cut.json")
        let cut = request(server.baseURL.appendingPathComponent("sse-cut"), method: "GET")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        var live: [Data] = []
        do { for try await chunk in try await recorder.stream(cut).chunks { live.append(chunk) } } catch {}
        server.stop()
        let recorded = try Cassette.load(from: file).interactions[0]
        #expect(recorded.response.streamInterrupted != nil)
        let clock = VirtualClock()
        let player = try CassetteTransport(file: file, mode: .never, options: CassetteOptions(latency: .virtual(clock)), environment: hermetic)
        var replayed: [Data] = []
        let error = await #expect(throws: CassetteError.self) {
            for try await chunk in try await player.stream(cut).chunks { replayed.append(chunk) }
        }
        #expect(error?.kind == .streamInterrupted)
        #expect(replayed == live)
        #expect(clock.elapsedMs == recorded.latency.totalMs)
    }
}

@Suite struct ConcurrentReplayTests {
    @Test func sixtyConcurrentIdenticalRequestsEachGetADifferentRecordingThenRunOut() async throws {
        let server = try TestRoutes.server()
        let file = try temporaryDirectory().appendingPathComponent("same.json")
        let same = request(server.baseURL.appendingPathComponent("json"), json: #"{"q":"same"}"#)
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        var recordedIDs: [JSONValue] = []
        for _ in 0..<60 { recordedIDs.append(try parse(try await recorder.send(same).body)["id"] ?? .null) }
        server.stop()

        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let served = try await withThrowingTaskGroup(of: JSONValue.self) { group in
            for _ in 0..<60 { group.addTask { try parse(try await player.send(same).body)["id"] ?? .null } }
            var ids: [JSONValue] = []
            for try await id in group { ids.append(id) }
            return ids
        }
        #expect(Set(served.compactMap(\.stringValue)) == Set(recordedIDs.compactMap(\.stringValue)))
        #expect(Set(served.compactMap(\.stringValue)).count == 60)
        let error = await #expect(throws: CassetteError.self) { try await player.send(same) }
        #expect(error?.kind == .miss(alreadyUsed: true))
        #expect(error?.message.contains("60 time(s)") == true)
    }
}

@Suite struct NumberFidelityTests {
    @Test func aLargeIntegerInAJSONAnswerReplaysDigitForDigit() async throws {
        let server = try TestRoutes.server()
        let file = try temporaryDirectory().appendingPathComponent("big.json")
        let big = request(server.baseURL.appendingPathComponent("json"), json: #"{"seed":1234567890123456789,"n":2}"#)
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let live = try await recorder.send(big)
        server.stop()
        #expect(String(decoding: live.body, as: UTF8.self).contains("1234567890123456789"))
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let replayed = try await player.send(big)
        #expect(String(decoding: replayed.body, as: UTF8.self).contains(#""seed":1234567890123456789"#))
        // Numbers that print back the same stay JSON values.
        #expect(BodyCodec().store(Data(#"{"a":1.5,"b":999999999999999}"#.utf8), exactNumbers: true).0
                == .json(["a": 1.5, "b": 999_999_999_999_999]))
        // The request stays JSON: it is only matched, and ignored paths must still apply to it.
        #expect(try Cassette.load(from: file).interactions[0].request.body == .json(["seed": 1_234_567_890_123_456_789, "n": 2]))
    }

    @Test func aRequestWithALargeIntegerStillHonoursIgnoredPaths() async throws {
        let file = try temporaryDirectory().appendingPathComponent("big-ignored.json")
        try Cassette(interactions: [Interaction(
            request: RecordedRequest(method: "POST", url: "https://api.example.test/v1", headers: ["content-type": "application/json"],
                                     body: .json(["seed": 1_234_567_890_123_456_789, "sent_at": "old"])),
            response: RecordedResponse(status: 200), latency: Latency(totalMs: 1))]).save(to: file)
        let player = try CassetteTransport(file: file, mode: .never,
                                           options: CassetteOptions(matching: MatchingRules(ignoredBodyPaths: [JSONPath("sent_at")])),
                                           environment: hermetic)
        let response = try await player.send(request(URL(string: "https://api.example.test/v1")!,
                                                     json: #"{"seed":1234567890123456789,"sent_at":"new"}"#))
        #expect(response.status == 200)
    }
}
