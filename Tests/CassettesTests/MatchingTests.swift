import Cassettes
import Foundation
import OrchJSON
import Testing

/// Matching rules over a hand-written (synthetic) cassette.
@Suite struct MatchingTests {
    private func cassette(headers: [String: String] = ["content-type": "application/json"], body: JSONValue) throws -> URL {
        let file = try temporaryDirectory().appendingPathComponent("match.json")
        try Cassette(metadata: CassetteMetadata(origin: .synthetic), interactions: [
            Interaction(request: RecordedRequest(method: "POST", url: "https://api.example.test/v1/messages", headers: headers, body: .json(body)),
                        response: RecordedResponse(status: 200, body: .json(["ok": true])), latency: Latency(totalMs: 10)),
        ]).save(to: file)
        return file
    }

    private let url = URL(string: "https://API.example.test:443/v1/messages")!

    @Test func ignoredBodyPathsDoNotTakePartInMatching() async throws {
        let file = try cassette(body: ["prompt": "p", "metadata": ["sent_at": "2026-01-01T00:00:00Z", "user": "u"]])
        let strict = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        #expect(strict.metadata.origin == .synthetic)
        let error = await #expect(throws: CassetteError.self) {
            try await strict.send(request(url, json: #"{"prompt":"p","metadata":{"sent_at":"2026-07-07T12:00:00Z","user":"u"}}"#))
        }
        #expect(error?.message.contains("body.metadata.sent_at") == true)
        #expect(error?.message.contains("header") == false)

        let lenient = try CassetteTransport(file: file, mode: .never,
                                            options: CassetteOptions(matching: MatchingRules(ignoredBodyPaths: [JSONPath("metadata.sent_at")])),
                                            environment: hermetic)
        let response = try await lenient.send(request(url, json: #"{"prompt":"p","metadata":{"sent_at":"2026-07-07T12:00:00Z","user":"u"}}"#))
        #expect(try parse(response.body) == ["ok": true])
    }

    @Test func headersMatchExceptIgnoredOnes() async throws {
        let file = try cassette(headers: ["anthropic-version": "2023-06-01", "content-type": "application/json", "user-agent": "a/1"],
                                body: ["prompt": "p"])
        let transport = try CassetteTransport(file: file, mode: .never, options: CassetteOptions(matching: MatchingRules(allowRepeats: true)),
                                              environment: hermetic)
        // A different user agent is ignored by default.
        _ = try await transport.send(request(url, json: #"{"prompt":"p"}"#, headers: ["anthropic-version": "2023-06-01", "User-Agent": "b/2"]))
        // A different API version is a different request, and the miss says so.
        let error = await #expect(throws: CassetteError.self) {
            try await transport.send(request(url, json: #"{"prompt":"p"}"#, headers: ["anthropic-version": "2024-01-01"]))
        }
        #expect(error?.message.contains("header anthropic-version: request 2024-01-01, recorded 2023-06-01") == true)
    }

    @Test func theClosestInteractionIsTheOneWithTheSamePath() async throws {
        let file = try temporaryDirectory().appendingPathComponent("closest.json")
        let interactions = [("messages", "a"), ("other", "b")].map { path, prompt in
            Interaction(request: RecordedRequest(method: "POST", url: "https://api.example.test/v1/\(path)", body: .json(["prompt": .string(prompt)])),
                        response: RecordedResponse(status: 200), latency: Latency(totalMs: 1))
        }
        try Cassette(interactions: interactions).save(to: file)
        let transport = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let error = await #expect(throws: CassetteError.self) {
            try await transport.send(HTTPRequest(method: "POST", url: URL(string: "https://api.example.test/v1/other")!,
                                                 body: Data(#"{"prompt":"a"}"#.utf8)))
        }
        let message = try #require(error?.message)
        #expect(message.contains("Closest recorded interaction: #1 POST https://api.example.test/v1/other"))
        #expect(message.contains(#"body.prompt: request "a", recorded "b""#))
        #expect(!message.contains("path:"))

        let wrongPath = await #expect(throws: CassetteError.self) {
            try await transport.send(HTTPRequest(method: "GET", url: URL(string: "https://api.example.test/v2/other")!))
        }
        #expect(wrongPath?.message.contains("path: request /v2/other, recorded /v1/other") == true)
        #expect(wrongPath?.message.contains("method: request GET, recorded POST") == true)
    }

    @Test func urlsAreNormalized() {
        #expect(URLNormalizer.normalize(URL(string: "HTTPS://Api.Example.TEST:443/v1/x?b=2&a=1#frag")!)
                == "https://api.example.test/v1/x?a=1&b=2")
        #expect(URLNormalizer.normalize(URL(string: "http://h:8080/p?x=%2F")!) == "http://h:8080/p?x=%2F")
    }
}

/// Cassettes written by hand (synthetic ones for cloud providers) spell things as people do.
@Suite struct HandWrittenCassetteTests {
    @Test func headerNamesInAHandWrittenCassetteMatchInAnyCase() async throws {
        let file = try temporaryDirectory().appendingPathComponent("hand.json")
        try Data(#"""
            {"format_version": 1, "metadata": {"origin": "synthetic"}, "interactions": [{
              "request": {"method": "POST", "url": "https://api.example.test/v1/messages",
                          "headers": {"Content-Type": "application/json", "User-Agent": "curl/8", "Anthropic-Version": "2023-06-01"},
                          "body": {"json": {"q": 1}}},
              "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"json": {"ok": true}}},
              "latency": {"total_ms": 3}}]}
            """#.utf8).write(to: file)
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let response = try await player.send(request(URL(string: "https://api.example.test/v1/messages")!, json: #"{"q":1}"#,
                                                     headers: ["anthropic-version": "2023-06-01", "user-agent": "swift/6"]))
        #expect(response.headers["content-type"] == "application/json")
    }
}
