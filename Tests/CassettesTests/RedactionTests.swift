import Cassettes
import Foundation
import OrchJSON
import Testing

@Suite struct RedactionTests {
    @Test func credentialsNeverReachTheFileAndMatchingStillWorks() async throws {
        let file = try temporaryDirectory().appendingPathComponent("secret.json")
        let server = try TestRoutes.server()
        let url = URL(string: "\(server.baseURL)/json?key=\(FakeKey.google)&model=m")!
        let headers: HTTPHeaders = [
            "Authorization": "Bearer \(FakeKey.openAI)", "x-api-key": FakeKey.anthropic, "api-key": FakeKey.azure,
            "x-goog-api-key": FakeKey.google, "Ocp-Apim-Subscription-Key": FakeKey.azure, "Cookie": "session=\(FakeKey.jwt)",
        ]
        let body = #"{"api_key":"\#(FakeKey.openAI)","credentials":{"token":"\#(FakeKey.jwt)"},"prompt":"hi"}"#
        let options = CassetteOptions(redaction: Redaction(bodyPaths: [JSONPath("credentials.token"), JSONPath("received.credentials.token")]))
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), options: options, environment: hermetic)
        let live = try await recorder.send(request(url, json: body, headers: headers))
        // The live caller gets the real, unredacted response (the server echoes the body it got).
        #expect(try parse(live.body)["received"]?["api_key"] == .string(FakeKey.openAI))
        server.stop()

        let text = try String(contentsOf: file, encoding: .utf8)
        for secret in [FakeKey.google, FakeKey.openAI, FakeKey.anthropic, FakeKey.azure, FakeKey.jwt] {
            #expect(!text.contains(secret))
        }
        #expect(SecretScanner().scan(try parse(Data(text.utf8))).isEmpty)
        let stored = try Cassette.load(from: file).interactions[0]
        #expect(stored.request.headers["authorization"] == Redaction.placeholder)
        #expect(stored.request.url.contains("key=REDACTED"))
        #expect(stored.request.body == .json(["api_key": "REDACTED", "credentials": ["token": "REDACTED"], "prompt": "hi"]))

        // Replay matches on the redacted form, whatever key the replaying side holds.
        let player = try CassetteTransport(file: file, mode: .never, options: options, environment: hermetic)
        var otherHeaders = headers
        otherHeaders["Authorization"] = "Bearer " + "sk-" + String(repeating: "x", count: 30)
        let replayed = try await player.send(request(url, json: body, headers: otherHeaders))
        #expect(replayed.status == 200)
    }

    @Test func theScanRefusesToWriteAndNamesWhere() async throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("leak.json")
        let server = try TestRoutes.server()
        defer { server.stop() }
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let error = await #expect(throws: CassetteError.self) {
            try await recorder.send(request(server.baseURL.appendingPathComponent("json"), json: #"{"note":"\#(FakeKey.anthropic)"}"#,
                                            headers: ["X-Custom-Auth": "Bearer " + FakeKey.openAI]))
        }
        #expect(error?.kind == .secretFound)
        let message = try #require(error?.message)
        #expect(message.contains("interactions.0.request.headers.x-custom-auth"))
        #expect(message.contains("interactions.0.request.body.json.note: looks like an Anthropic API key"))
        #expect(!message.contains(FakeKey.anthropic))
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func theScannerKnowsEachKindOfKey() {
        let scanner = SecretScanner()
        #expect(scanner.classify(FakeKey.openAI) == "an OpenAI API key")
        #expect(scanner.classify(FakeKey.anthropic) == "an Anthropic API key")
        #expect(scanner.classify("key " + FakeKey.google) == "a Google API key")
        #expect(scanner.classify(FakeKey.jwt) == "a JWT")
        #expect(scanner.classify("Bearer " + String(repeating: "t0k", count: 8)) == "a bearer token")
        #expect(scanner.classify("-----BEGIN RSA " + "PRIVATE KEY-----\nMII...") == "a private key")
        #expect(scanner.classify(FakeKey.azure, key: "api-key")?.contains("Azure") == true)
        #expect(scanner.classify(FakeKey.azure, key: "etag") == nil)
        #expect(scanner.classify("task-" + String(repeating: "a", count: 30)) == nil)
        #expect(scanner.classify("Bearer REDACTED") == nil)
        #expect(scanner.mask("auth Bearer " + FakeKey.openAI + " end") == "auth Bearer REDACTED end")
    }

    @Test func missMessagesNeverPrintASecret() async throws {
        let file = try temporaryDirectory().appendingPathComponent("miss.json")
        var cassette = Cassette()
        cassette.interactions = [Interaction(
            request: RecordedRequest(method: "POST", url: "https://api.example.test/v1/chat", body: .json(["note": "short"])),
            response: RecordedResponse(status: 200), latency: Latency(totalMs: 1))]
        try cassette.save(to: file)
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let error = await #expect(throws: CassetteError.self) {
            try await player.send(request(URL(string: "https://api.example.test/v1/chat?key=\(FakeKey.google)")!,
                                          json: #"{"note":"\#(FakeKey.openAI)"}"#))
        }
        let message = try #require(error?.message)
        #expect(message.contains("body.note"))
        #expect(!message.contains(FakeKey.openAI))
        #expect(!message.contains(FakeKey.google))
    }
}
