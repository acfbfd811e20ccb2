import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
import Providers
import Synchronization
import Testing

@Suite struct ProviderHTTPTests {
    private func http(_ retry: InstantRetry, secrets: [String] = []) -> ProviderHTTP {
        ProviderHTTP(provider: "test", transport: URLSessionTransport(), retry: retry.policy, clock: steppingClock,
                     credentialVariable: "TEST_API_KEY", modelSource: "--model", secrets: secrets) { response in
            ErrorDetails(message: (try? JSONValue(parsing: response.body))?["error"]?["message"]?.stringValue)
        }
    }

    /// A server that answers `statuses` in turn, then 200.
    private func server(_ statuses: [(Int, [String: String])]) throws -> LoopbackHTTPServer {
        let count = Mutex(0)
        return try LoopbackHTTPServer { _ in
            let n = count.withLock { n in defer { n += 1 }; return n }
            guard n < statuses.count else { return .json(#"{"ok":true}"#) }
            return .json(#"{"error":{"message":"attempt \#(n + 1) failed"}}"#, status: statuses[n].0, headers: statuses[n].1)
        }
    }

    @Test func a429AndTwo500sAreNotRetriedBeyondThePolicy() async throws {
        let server = try server([(429, ["retry-after": "2"]), (500, [:]), (500, [:]), (500, [:])])
        defer { server.stop() }
        let retry = InstantRetry()
        let request = HTTPRequest(method: "POST", url: server.baseURL.appendingPathComponent("chat"))
        let error = await #expect(throws: ProviderError.self) { try await http(retry).send(request, model: "m") }
        #expect(error?.code == .server)
        #expect(error?.message.contains("after 4 attempts") == true)
        #expect(error?.message.contains("attempt 4 failed") == true)
        #expect(server.requestCount == 4)
        #expect(retry.waits == [.seconds(2), .seconds(1), .seconds(2)])  // the hint, then the doubling backoff
    }

    @Test func a429AndTwo500sAreRetriedToAnAnswer() async throws {
        let server = try server([(429, [:]), (500, [:]), (503, [:])])
        defer { server.stop() }
        let (response, latency) = try await http(InstantRetry()).send(HTTPRequest(method: "POST", url: server.baseURL), model: "m")
        #expect(response.status == 200)
        #expect(latency.totalMilliseconds == 10)
        #expect(server.requestCount == 4)
    }

    @Test func errorClassesAndMessages() {
        let client = http(InstantRetry(), secrets: [FakeKey.openAI])
        func error(_ status: Int, _ message: String) -> ProviderError {
            client.error(for: HTTPResponse(status: status, body: Data(#"{"error":{"message":"\#(message)"}}"#.utf8)), model: "gpt-x")
        }
        let unauthorized = error(401, "Incorrect API key provided: \(FakeKey.openAI)")
        #expect(unauthorized.code == .unauthorized)
        #expect(unauthorized.message.contains("TEST_API_KEY"))
        #expect(!unauthorized.message.contains(FakeKey.openAI))
        #expect(!unauthorized.message.contains("a1B2a1B2"))
        #expect(error(404, "no such model").message.contains("'gpt-x'"))
        #expect(error(400, "messages must not be empty").message.contains("“messages must not be empty”"))
        #expect(error(422, "x").code == .badRequest)
        #expect(error(503, "x").code == .server)
    }

    @Test func aRefusedConnectionIsATransportError() async throws {
        let server = try LoopbackHTTPServer { _ in .json("{}") }
        server.stop()
        let error = await #expect(throws: ProviderError.self) {
            try await http(InstantRetry()).send(HTTPRequest(url: server.baseURL), model: "m")
        }
        #expect(error?.code == .transport)
    }

    @Test func aStreamCutMidWayIsStreamBroken() async throws {
        let server = try LoopbackHTTPServer { _ in .stream(["data: 1\n\n", "data: 2\n\n", "data: 3\n\n"], cutAfter: 2) }
        defer { server.stop() }
        let stream = try await http(InstantRetry()).stream(HTTPRequest(url: server.baseURL), model: "m")
        var seen: [String] = []
        let error = await #expect(throws: ProviderError.self) { try await stream.forEachEvent { seen.append($0.data) } }
        #expect(error?.code == .streamBroken)
        #expect(seen == ["1", "2"])
    }

    @Test func streamedLatencyHasAFirstByte() async throws {
        let server = try LoopbackHTTPServer { _ in .stream(["data: 1\n\n", "data: 2\n\n"]) }
        defer { server.stop() }
        let stream = try await http(InstantRetry()).stream(HTTPRequest(url: server.baseURL), model: "m")
        let latency = try await stream.forEachEvent { _ in }
        #expect(latency == Latency(firstByteMilliseconds: 10, totalMilliseconds: 20))
    }
}
