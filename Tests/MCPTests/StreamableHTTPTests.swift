import Cassettes
import Foundation
import MCP
import OrchJSON
import Synchronization
import Testing

/// Our client over Streamable HTTP against our own HTTP server on 127.0.0.1, with every
/// request it sends kept for inspection; SSE answers; record and replay through a cassette.
@Suite("MCP Streamable HTTP", .timeLimit(.minutes(1)))
struct StreamableHTTPTests {
    /// Passes requests on and keeps them.
    final class Logging: HTTPTransport {
        let upstream: any HTTPTransport
        let sent = Mutex<[HTTPRequest]>([])
        init(_ upstream: any HTTPTransport) { self.upstream = upstream }
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            sent.withLock { $0.append(request) }
            return try await upstream.send(request)
        }
        func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
            sent.withLock { $0.append(request) }
            return try await upstream.stream(request)
        }
    }

    private func startServer() throws -> (MCPHTTPServer, Task<Void, Never>, URL) {
        let server = try MCPHTTPServer(core: MCPServerCore(provider: Adder()), port: 0)
        let task = Task { await server.serve() }
        return (server, task, URL(string: "http://127.0.0.1:\(server.port)/mcp")!)
    }

    @Test("session era: Mcp-Session-Id from initialize is echoed with MCP-Protocol-Version; close sends DELETE")
    func sessionHeaders() async throws {
        let (server, task, url) = try startServer()
        defer { server.stop(); task.cancel() }
        let http = Logging(URLSessionTransport())
        let client = try await MCPClient.connect(name: "local", transport: StreamableHTTPTransport(name: "local", url: url, http: http), era: .session)
        #expect(try await client.callTool("add", arguments: ["a": 1, "b": 2]).value == ["sum": 3])
        await client.close()
        let sent = http.sent.withLock { $0 }
        #expect(sent.map(\.method) == ["POST", "POST", "POST", "DELETE"], "initialize, initialized, tools/call, end of session")
        #expect(sent[0].headers["mcp-session-id"] == nil)
        #expect(sent[0].headers["accept"] == "application/json, text/event-stream")
        let session = try #require(sent[1].headers["mcp-session-id"])
        for request in sent.dropFirst() { #expect(request.headers["mcp-session-id"] == session) }
        #expect(sent[2].headers["mcp-protocol-version"] == "2025-11-25")
        #expect(sent[2].headers["mcp-method"] == nil)
    }

    @Test("stateless era: no session; MCP-Protocol-Version, Mcp-Method and Mcp-Name on each request; version in _meta")
    func statelessHeaders() async throws {
        let (server, task, url) = try startServer()
        defer { server.stop(); task.cancel() }
        let http = Logging(URLSessionTransport())
        let client = try await MCPClient.connect(name: "local", transport: StreamableHTTPTransport(name: "local", url: url, http: http))
        #expect(client.server.protocolVersion == "2026-07-28")
        _ = try await client.callTool("add", arguments: ["a": 1, "b": 2])
        await client.close()
        let sent = http.sent.withLock { $0 }
        #expect(sent.map { $0.headers["mcp-method"] } == ["server/discover", "tools/call"])
        #expect(sent[1].headers["mcp-name"] == "add")
        #expect(sent.allSatisfy { $0.headers["mcp-protocol-version"] == "2026-07-28" && $0.headers["mcp-session-id"] == nil })
        let body = try JSONValue(parsing: sent[1].body)
        #expect(body["params"]?["_meta"]?["io.modelcontextprotocol/protocolVersion"] == "2026-07-28")
        #expect(body["params"]?["_meta"]?["io.modelcontextprotocol/clientCapabilities"] == [:])
    }

    @Test("an SSE answer: notifications before the response are passed over, the response is read")
    func sseAnswer() async throws {
        struct SSEServer: HTTPTransport {
            func send(_ request: HTTPRequest) async throws -> HTTPResponse {
                guard let message = RPCMessage(json: try JSONValue(parsing: request.body)), case .request(let id, let method, _) = message else {
                    return HTTPResponse(status: 202)
                }
                let result: JSONValue = method == "initialize"
                    ? ["protocolVersion": "2025-06-18", "capabilities": [:], "serverInfo": ["name": "sse"]]
                    : ["content": [["type": "text", "text": "{\"n\":1}"]], "isError": false]
                let progress = RPCMessage.notification(method: "notifications/progress", params: ["progressToken": 1, "progress": 1])
                let body = ": hello\r\n\r\nevent: message\r\ndata: \(progress.line)\r\n\r\ndata: \(RPCMessage.result(id: id, result: result).line)\r\n\r\n"
                return HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: Data(body.utf8))
            }
        }
        let transport = StreamableHTTPTransport(name: "sse", url: URL(string: "http://sse.test/mcp")!, http: SSEServer())
        let client = try await MCPClient.connect(name: "sse", transport: transport, era: .session)
        #expect(client.server.protocolVersion == "2025-06-18")
        #expect(try await client.callTool("n", arguments: [:]).value == ["n": 1])
        await client.close()
    }

    @Test("session era over HTTP: cancelling a call closes its POST and POSTs notifications/cancelled")
    func cancelOverHTTP() async throws {
        final class NeverAnswers: HTTPTransport {
            let notices = Mutex<[JSONValue]>([])
            let (callArrived, arrival) = AsyncStream.makeStream(of: Void.self)
            func send(_ request: HTTPRequest) async throws -> HTTPResponse {
                guard let message = RPCMessage(json: try JSONValue(parsing: request.body)) else { return HTTPResponse(status: 400) }
                switch message {
                case .request(let id, "initialize", _):
                    let result: JSONValue = ["protocolVersion": "2025-11-25", "capabilities": [:], "serverInfo": ["name": "slow"]]
                    return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: RPCMessage.result(id: id, result: result).json.serializedData())
                case .request:
                    arrival.yield()
                    try await Task.sleep(for: .seconds(600))  // a call that never answers; the cancellation ends it
                    return HTTPResponse(status: 500)
                case .notification(let method, let params):
                    if method == "notifications/cancelled" { notices.withLock { $0.append(params ?? .null) } }
                    return HTTPResponse(status: 202)
                default:
                    return HTTPResponse(status: 202)
                }
            }
        }
        let http = NeverAnswers()
        let client = try await MCPClient.connect(name: "slow", transport: StreamableHTTPTransport(name: "slow", url: URL(string: "http://slow.test/mcp")!, http: http), era: .session)
        let call = Task { try await client.callTool("wait", arguments: [:]) }
        for await _ in http.callArrived { break }
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(http.notices.withLock { $0 }.map { $0["requestId"] } == [2])
        await client.close()
    }

    @Test("MCP traffic records into a cassette and replays without the server; session ids are not matched")
    func recordAndReplay() async throws {
        #expect(MatchingRules.defaultIgnoredHeaders.contains("mcp-session-id"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let (server, task, url) = try startServer()
        func session(_ http: any HTTPTransport) async throws -> JSONValue {
            let client = try await MCPClient.connect(name: "local", transport: StreamableHTTPTransport(name: "local", url: url, http: http), era: .session)
            let value = try await client.callTool("add", arguments: ["a": 20, "b": 22]).value
            await client.close()  // DELETE, recorded and replayed like the rest
            return value
        }
        let recorder = try CassetteTransport(file: file, mode: .all, upstream: URLSessionTransport(), environment: [:])
        #expect(try await session(recorder) == ["sum": 42])
        server.stop()
        task.cancel()
        let replayer = try CassetteTransport(file: file, mode: .never, environment: [:])
        #expect(try await session(replayer) == ["sum": 42])
    }
}
