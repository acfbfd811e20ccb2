import CassetteTesting
import Cassettes
import Foundation
import OrchJSON
import Testing

/// The examples of `docs/cassettes.md`, used as the doc shows them, so the doc cannot drift
/// from the code. Where the doc prints a file or a message, the test reads that block from
/// the doc itself and compares it with what the code does.
@Suite struct DocsExampleTests {
    /// The fenced block of `docs/cassettes.md` that follows `heading`.
    private func docBlock(after heading: String) throws -> String {
        let root = try #require(CassetteLocation.packageRoot(containing: URL(fileURLWithPath: #filePath)))
        let doc = try String(contentsOf: root.appendingPathComponent("docs/cassettes.md"), encoding: .utf8)
        let section = try #require(doc.range(of: heading), "docs/cassettes.md has no '\(heading)'")
        let rest = doc[section.upperBound...]
        let open = try #require(rest.range(of: "```"))
        let bodyStart = try #require(rest[open.upperBound...].firstIndex(of: "\n"))
        let close = try #require(rest[bodyStart...].range(of: "```"))
        return String(rest[rest.index(after: bodyStart)..<close.lowerBound])
    }

    /// The opening example: the first `.once` run records through the live transport, the
    /// second replays with the server gone. (A temporary folder instead of `Cassettes/`, and no
    /// CI or ORCH_RECORD from the developer's shell.)
    @Test func theOpeningExampleRecordsOnceThenReplays() async throws {
        let server = try TestRoutes.server()
        let url = server.baseURL.appendingPathComponent("json")
        let headers: HTTPHeaders = ["Content-Type": "application/json", "Authorization": "Bearer " + FakeKey.openAI]
        let body = Data(#"{"model":"small","messages":[{"role":"user","content":"Total of the receipt?"}]}"#.utf8)
        let file = try temporaryDirectory().appendingPathComponent("Cassettes/receipts/total.json")

        let transport = try CassetteTransport(
            file: file,
            mode: .once,                        // record if the file is missing, else replay
            upstream: URLSessionTransport(),    // where recorded requests really go
            environment: hermetic)
        let response = try await transport.send(HTTPRequest(method: "POST", url: url, headers: headers, body: body))
        server.stop()

        let replaying = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)
        let replayed = try await replaying.send(HTTPRequest(method: "POST", url: url, headers: headers, body: body))
        #expect(replayed.status == 200)
        #expect(try parse(replayed.body) == parse(response.body))
        #expect(server.requestCount == 1)
    }

    /// The "File format (version 1)" example is a cassette that loads and answers its request,
    /// whatever the key order of the request body; its latency feeds a virtual clock.
    @Test func theFileFormatExampleIsACassetteThatReplays() async throws {
        let file = try temporaryDirectory().appendingPathComponent("example.json")
        try Data(docBlock(after: "## File format (version 1)").utf8).write(to: file)
        let clock = VirtualClock()
        let transport = try CassetteTransport(file: file, mode: .never, options: CassetteOptions(latency: .virtual(clock)),
                                              environment: hermetic)

        let (response, ms) = try await VirtualClock.measure {
            try await transport.send(request(URL(string: "https://api.example.test/json")!,
                                             json: #"{"model":"small","messages":[{"role":"user","content":"Sum 2 and 3"}]}"#,
                                             headers: ["Authorization": "Bearer " + FakeKey.openAI]))
        }
        #expect(response.status == 200)
        #expect(try parse(response.body) == ["answer": 5])
        #expect(ms == 61.7)
        #expect(clock.elapsedMs == 61.7)
    }

    /// The "Misses" message, as printed in the doc (apart from the cassette's path).
    @Test func aMissIsReportedAsTheDocShows() async throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("case-3.json")
        let recorded: JSONValue = [
            "format_version": 1, "metadata": ["origin": "synthetic"],
            "interactions": [[
                "request": ["method": "POST", "url": "https://api.example.test/json", "headers": ["content-type": "application/json"],
                            "body": ["json": ["q": "first"]]],
                "response": ["status": 200, "body": ["json": ["answer": 1]]],
                "latency": ["total_ms": 12.5],
            ]],
        ]
        try recorded.serializedData(.pretty).write(to: file)
        let transport = try CassetteTransport(file: file, mode: .never, environment: hermetic)

        let error = await #expect(throws: CassetteError.self) {
            try await transport.send(request(URL(string: "https://api.example.test/json?page=2")!, json: #"{"q":"second","extra":true}"#))
        }
        #expect(error?.kind == .miss(alreadyUsed: false))
        let documented = try docBlock(after: "### Misses").replacingOccurrences(of: "Cassettes/suite/case-3.json", with: file.path)
        #expect(error.map { $0.message + "\n" } == documented)
    }

    /// The `MatchingRules` example: ignored body paths and headers take no part in matching.
    @Test func theMatchingRulesExampleIgnoresWhatItNames() async throws {
        let options = CassetteOptions(matching: MatchingRules(
            ignoredBodyPaths: [JSONPath("metadata.sent_at"), JSONPath("messages.*.id")],
            ignoredHeaders: MatchingRules.defaultIgnoredHeaders.union(["x-trace"]),
            allowRepeats: false))
        let server = try TestRoutes.server()
        let file = try temporaryDirectory().appendingPathComponent("matching.json")
        func send(_ transport: CassetteTransport, sentAt: String, id: String, trace: String) async throws -> HTTPResponse {
            try await transport.send(request(server.baseURL.appendingPathComponent("json"),
                                             json: #"{"metadata":{"sent_at":"\#(sentAt)"},"messages":[{"id":"\#(id)","content":"hi"}]}"#,
                                             headers: ["X-Trace": trace]))
        }
        let recorder = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), options: options, environment: hermetic)
        let live = try await send(recorder, sentAt: "2026-11-25T10:00:00Z", id: "m-1", trace: "t-1")
        server.stop()

        let player = try CassetteTransport(file: file, mode: .never, options: options, environment: hermetic)
        let replayed = try await send(player, sentAt: "2026-11-26T09:30:00Z", id: "m-2", trace: "t-2")
        #expect(try parse(replayed.body) == parse(live.body))
    }

    /// The secret-scan refusal, as printed in the doc (apart from the cassette's path).
    @Test func aLeftoverCredentialIsRefusedAsTheDocShows() async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let file = try temporaryDirectory().appendingPathComponent("x.json")
        let transport = try CassetteTransport(file: file, mode: .once, upstream: URLSessionTransport(), environment: hermetic)

        let error = await #expect(throws: CassetteError.self) {
            try await transport.send(request(server.baseURL.appendingPathComponent("json"), json: "{}",
                                             headers: ["X-Custom-Auth": "Bearer " + String(repeating: "x9Z", count: 12)]))
        }
        #expect(error?.kind == .secretFound)
        let documented = try docBlock(after: "the error (kind `.secretFound`) lists each JSON path:")
            .replacingOccurrences(of: "Cassettes/x.json", with: file.path)
        #expect(error.map { $0.message + "\n" } == documented)
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }
}

// MARK: - "The transport"

/// A transport as the protocol in the doc allows: only `send`; `stream` has a default.
private struct HelloTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Data("hello".utf8))
    }
}

/// "`stream` ... default: one chunk", and `collect()` turns a stream back into a response.
@Test func aTransportWithOnlySendStreamsItsBodyAsOneChunk() async throws {
    let request = HTTPRequest(method: "GET", url: exampleAPI, timeout: 5)
    var chunks: [Data] = []
    for try await chunk in try await HelloTransport().stream(request).chunks { chunks.append(chunk) }
    #expect(chunks == [Data("hello".utf8)])
    let collected = try await HelloTransport().stream(request).collect()
    #expect(collected.status == 200)
    #expect(collected.body == Data("hello".utf8))
}

// MARK: - "In your tests: CassetteTesting"

/// Stands for the reader's own client: it asks the model endpoint for a receipt's total. The
/// loopback server echoes the request, so the "answer" is the sum of the items it was sent.
private struct MyModelClient {
    var transport: any HTTPTransport

    func total(of receipt: [Double]) async throws -> Double {
        let body = JSONValue.object(["items": .array(receipt.map { .number($0) })])
        let response = try await transport.send(request(exampleAPI.appendingPathComponent("json"), json: body.serialized(.compact)))
        let items = try parse(response.body)["received"]?["items"]?.arrayValue ?? []
        return (items.compactMap(\.doubleValue).reduce(0, +) * 100).rounded() / 100
    }
}

private let receipt = [3.5, 2.71]

/// "The mode is, in order of precedence: `ORCH_RECORD`, the `mode:` argument, the mode set for
/// a scope with `withCassetteRecording`, and `.once`", and a name passed per case names the file.
@Test func withCassettePicksTheModeInTheDocumentedOrder() async throws {
    let dir = try temporaryDirectory()
    let empty: JSONValue = ["format_version": 1, "metadata": ["origin": "synthetic"], "interactions": []]
    try empty.serializedData(.pretty).write(to: dir.appendingPathComponent("total-7.json"))
    func mode(_ argument: RecordMode? = nil, environment: [String: String] = hermetic) async throws -> (RecordMode, String) {
        try await withCassette("total-\(7)", mode: argument, directory: dir, environment: environment) { transport in
            (transport.mode, transport.file.lastPathComponent)
        }
    }
    #expect(try await mode() == (.once, "total-7.json"))
    let scoped = try await withCassetteRecording(.missing) {
        [try await mode().0, try await mode(.all).0, try await mode(.all, environment: [RecordMode.environmentVariable: " Never "]).0]
    }
    #expect(scoped == [.missing, .all, .never])
}

/// The doc's `withCassette` example. It replays `Cassettes/DocsExampleTests/totalsAReceipt.json`
/// (committed; recorded from the loopback server, which `LazyLoopbackTransport` starts only
/// when something must be recorded, so the doc's default live upstream is swapped for it).
@Test func totalsAReceipt() async throws {
    let file = try CassetteLocation.file(named: "totalsAReceipt", directory: nil, testFile: #filePath)
    #expect(file.path.hasSuffix("Cassettes/DocsExampleTests/totalsAReceipt.json"))
    let committed = FileManager.default.fileExists(atPath: file.path)
    let upstream = LazyLoopbackTransport()

    try await withCassette(upstream: upstream) { transport in            // Cassettes/<TestFile>/totalsAReceipt.json
        let client = MyModelClient(transport: transport)
        let total = try await client.total(of: receipt)   // a `try` inside #expect would not compile here
        #expect(total == 6.21)
    }
    if committed && ProcessInfo.processInfo.environment[RecordMode.environmentVariable] == nil {
        #expect(!upstream.started, "the committed cassette must replay without the server")
    }
}
