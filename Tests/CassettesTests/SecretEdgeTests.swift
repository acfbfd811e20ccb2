import Cassettes
import Foundation
import OrchJSON
import Testing

/// Credentials in the less obvious places: URL user info, provider-specific query
/// parameters, key-named JSON members in other spellings, and messages about misses.
@Suite struct SecretEdgeTests {
    /// A one-interaction synthetic cassette for miss messages.
    private func cassette(url: String, body: JSONValue) throws -> URL {
        let file = try temporaryDirectory().appendingPathComponent("edge.json")
        try Cassette(interactions: [Interaction(request: RecordedRequest(method: "POST", url: url, body: .json(body)),
                                                response: RecordedResponse(status: 200), latency: Latency(totalMs: 1))]).save(to: file)
        return file
    }

    @Test(arguments: [true, false])
    func credentialsInTheURLUserInfoNeverReachTheFile(withPassword: Bool) async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let secret = "pw" + String(repeating: "Q7", count: 10)
        var components = try #require(URLComponents(url: server.baseURL.appendingPathComponent("json"), resolvingAgainstBaseURL: false))
        components.user = withPassword ? "me" : secret  // `https://TOKEN@host` or `https://me:PASSWORD@host`
        components.password = withPassword ? secret : nil
        let file = try temporaryDirectory().appendingPathComponent("userinfo.json")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        _ = try await recorder.send(request(try #require(components.url), json: #"{"q":1}"#))
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(!text.contains(secret))
        #expect(text.contains(withPassword ? "//REDACTED:REDACTED@" : "//REDACTED@"))
    }

    @Test func anAzureSubscriptionKeyInTheQueryNeverReachesTheFile() async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let file = try temporaryDirectory().appendingPathComponent("azure.json")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        _ = try await recorder.send(request(URL(string: "\(server.baseURL)/json?Subscription-Key=\(FakeKey.azure)")!, json: #"{"q":1}"#))
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(!text.contains(FakeKey.azure))
    }

    @Test func theScanLooksInsideQueryParametersOfURLs() {
        let scanner = SecretScanner()
        let url = "https://vision.example.test/analyze?x-my-token=\(FakeKey.azure)&lang=en"
        #expect(scanner.classify(url)?.contains("Azure") == true)
        #expect(!scanner.mask(url).contains(FakeKey.azure))
        #expect(scanner.classify("https://vision.example.test/analyze?etag=\(FakeKey.azure)") == nil)
    }

    @Test func keyNamedMembersAreRedactedInAnySpelling() async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let secret = "plain" + String(repeating: "Secret9", count: 5)
        let file = try temporaryDirectory().appendingPathComponent("spelling.json")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        _ = try await recorder.send(request(server.baseURL.appendingPathComponent("json"),
                                            json: #"{"API_KEY":"\#(secret)1","Api-Key":"\#(secret)2","ClientSecret":"\#(secret)3","prompt":"hi"}"#))
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(!text.contains(secret))
        #expect(try Cassette.load(from: file).interactions[0].request.body
            == .json(["API_KEY": "REDACTED", "Api-Key": "REDACTED", "ClientSecret": "REDACTED", "prompt": "hi"]))
    }

    @Test func basicCredentialsInAnUnlistedHeaderStopTheWrite() async throws {
        let credentials = Data(("user:" + String(repeating: "pw9", count: 6)).utf8).base64EncodedString()
        let scanner = SecretScanner()
        #expect(scanner.classify("Basic " + credentials) == "HTTP Basic credentials")
        #expect(scanner.classify("Basic information about the receipt") == nil)
        #expect(scanner.classify("Basic " + Data("no colon here at all".utf8).base64EncodedString()) == nil)
        #expect(!scanner.mask("header Basic " + credentials).contains(credentials))
    }

    @Test func aKeyInTheURLPathIsMaskedInTheMissDiff() async throws {
        let file = try cassette(url: "https://api.example.test/v1/models", body: ["q": 1])
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let error = await #expect(throws: CassetteError.self) {
            try await player.send(request(URL(string: "https://api.example.test/v1/\(FakeKey.openAI)")!, json: #"{"q":1}"#))
        }
        let message = try #require(error?.message)
        #expect(message.contains("path: request"))
        #expect(!message.contains(FakeKey.openAI))
    }

    @Test func anAzureKeyInAKeyNamedBodyMemberIsMaskedInTheMissDiff() async throws {
        let file = try cassette(url: "https://api.example.test/v1/ocr", body: ["subscription": ["primary_key": "old"]])
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        let error = await #expect(throws: CassetteError.self) {
            try await player.send(request(URL(string: "https://api.example.test/v1/ocr")!,
                                          json: #"{"subscription":{"primary_key":"\#(FakeKey.azure)"}}"#))
        }
        let message = try #require(error?.message)
        #expect(message.contains("body.subscription.primary_key"))
        #expect(!message.contains(FakeKey.azure))
    }
}

/// Credentials outside JSON: multipart uploads, form bodies, unlisted headers, streamed chunks.
@Suite struct SecretOutsideJSONTests {
    private func multipart(field: String, value: String, fileBytes: Data) -> Data {
        var body = Data("--b0undary\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n".utf8)
        body.append(Data("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.png\"\r\nContent-Type: image/png\r\n\r\n".utf8))
        body.append(fileBytes)
        body.append(Data("\r\n--b0undary--\r\n".utf8))
        return body
    }

    @Test(arguments: [300, 20_000])
    func aKeyInsideABinaryBodyStopsTheWrite(imageSize: Int) async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("upload.json")
        let upload = HTTPRequest(method: "POST", url: server.baseURL.appendingPathComponent("small-binary"),
                                 headers: ["Content-Type": "multipart/form-data; boundary=b0undary"],
                                 body: multipart(field: "apikey", value: FakeKey.openAI, fileBytes: TestRoutes.binary(count: imageSize)))
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let error = await #expect(throws: CassetteError.self) { try await recorder.send(upload) }
        #expect(error?.kind == .secretFound)
        #expect(error?.message.contains("interactions.0.request.body") == true)
        #expect(error?.message.contains(FakeKey.openAI) == false)
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("blobs").path))
    }

    @Test func credentialsInAFormBodyAreRedactedAndStillMatch() async throws {
        let server = try TestRoutes.server()
        let file = try temporaryDirectory().appendingPathComponent("token.json")
        let secret = "Zx8Q~" + String(repeating: "k3Y", count: 12)  // the shape of an Entra ID client secret
        func tokenRequest(_ secret: String) -> HTTPRequest {
            HTTPRequest(method: "POST", url: server.baseURL.appendingPathComponent("text"),
                        headers: ["Content-Type": "application/x-www-form-urlencoded"],
                        body: Data("grant_type=client_credentials&client_id=app-1&client_secret=\(secret)&scope=x".utf8))
        }
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        _ = try await recorder.send(tokenRequest(secret))
        server.stop()
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(!text.contains(secret))
        #expect(text.contains("client_secret=REDACTED"))
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        #expect(try await player.send(tokenRequest("another-secret")).status == 200)
    }

    @Test func headersNamedLikeCredentialsAreRedacted() async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let secret = "opaque" + String(repeating: "T0k", count: 10)
        let file = try temporaryDirectory().appendingPathComponent("headers.json")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        _ = try await recorder.send(request(server.baseURL.appendingPathComponent("json"), json: "{}",
                                            headers: ["X-Functions-Key": secret + "1", "apikey": secret + "2", "X-Session-Token": secret + "3",
                                                      "X-Keyword": "kept"]))
        let stored = try Cassette.load(from: file).interactions[0].request.headers
        #expect(stored["x-functions-key"] == "REDACTED")
        #expect(stored["apikey"] == "REDACTED")
        #expect(stored["x-session-token"] == "REDACTED")
        #expect(stored["x-keyword"] == "kept")
    }

    @Test func aKeyEchoedInAStreamedChunkStopsTheWrite() async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let file = try temporaryDirectory().appendingPathComponent("echo.json")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        // The request body is redacted; the echo of it in the streamed answer is not JSON-redacted, so the scan must stop it.
        let streamed = try await recorder.stream(request(server.baseURL.appendingPathComponent("json"), json: #"{"api_key":"\#(FakeKey.anthropic)"}"#))
        let error = await #expect(throws: CassetteError.self) { for try await _ in streamed.chunks {} }
        #expect(error?.kind == .secretFound)
        #expect(error?.message.contains("interactions.0.response.chunks.0.data") == true)
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }
}

@Suite struct SecretInErrorTests {
    @Test func urlsInsideAMessageAreRedacted() {
        let token = "tok" + String(repeating: "N4", count: 12)
        let message = "failed (URL=https://api.example.test/v1?a=1,2&token=\(token), again: https://\(token)@h.test/x.)"
        let redacted = Redaction().redact(message: message)
        #expect(!redacted.contains(token))
        #expect(redacted == "failed (URL=https://api.example.test/v1?a=1,2&token=REDACTED, again: https://REDACTED@h.test/x.)")
    }


    @Test func theErrorOfACutOffStreamIsStoredWithoutTheKeysOfItsURL() async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let file = try temporaryDirectory().appendingPathComponent("cut-key.json")
        let token = "tok" + String(repeating: "N4", count: 12)
        var components = try #require(URLComponents(url: server.baseURL.appendingPathComponent("sse-cut"), resolvingAgainstBaseURL: false))
        components.user = token
        components.percentEncodedQuery = "subscription-key=\(FakeKey.azure)&code=\(token)"
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let streamed = try await recorder.stream(HTTPRequest(method: "GET", url: try #require(components.url)))
        await #expect(throws: (any Error).self) { for try await _ in streamed.chunks {} }
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("stream_interrupted"))
        #expect(!text.contains(FakeKey.azure))
        #expect(!text.contains(token))
    }
}

@Suite struct RefusedWriteTests {
    @Test func aRefusedInteractionDoesNotBlockTheNextOnes() async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let file = try temporaryDirectory().appendingPathComponent("after-refusal.json")
        let url = server.baseURL.appendingPathComponent("json")
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let refused = await #expect(throws: CassetteError.self) {
            try await recorder.send(request(url, json: #"{"note":"\#(FakeKey.openAI)"}"#))
        }
        #expect(refused?.kind == .secretFound)
        _ = try await recorder.send(request(url, json: #"{"note":"clean"}"#))
        let stored = try Cassette.load(from: file)
        #expect(stored.interactions.count == 1)
        #expect(stored.interactions[0].request.body == .json(["note": "clean"]))
    }
}
