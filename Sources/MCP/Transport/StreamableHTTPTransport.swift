import Cassettes
import Foundation
import OrchJSON
import Synchronization

/// The Streamable HTTP transport over an `HTTPTransport` (so MCP traffic can be recorded and
/// replayed like model traffic): one POST per message, answered with JSON, with an SSE stream
/// (`text/event-stream`, whose events carry messages), or with 202 for notifications.
///
/// Session era: echoes the `Mcp-Session-Id` the server gave and sends `MCP-Protocol-Version`
/// after the handshake; `close` ends the session with DELETE. Stateless era: every request
/// carries `MCP-Protocol-Version`, `Mcp-Method` and, for `tools/call`, `Mcp-Name`;
/// cancellation is closing the request (no `notifications/cancelled` over HTTP).
public final class StreamableHTTPTransport: MCPTransport {
    public let name: String
    public let url: URL
    /// Extra headers from the configuration (e.g. Authorization); never written to cassettes
    /// unredacted, because the cassette layer redacts them.
    public let headers: [String: String]
    private let http: any HTTPTransport
    private let session = Mutex<String?>(nil)
    private let sink = Mutex<AsyncThrowingStream<RPCMessage, any Error>.Continuation?>(nil)

    public init(name: String, url: URL, headers: [String: String] = [:], http: any HTTPTransport) {
        self.name = name
        self.url = url
        self.headers = headers
        self.http = http
    }

    public func open() async throws -> AsyncThrowingStream<RPCMessage, any Error> {
        let (messages, continuation) = AsyncThrowingStream.makeStream(of: RPCMessage.self, throwing: (any Error).self)
        sink.withLock { $0 = continuation }
        return messages
    }

    public func send(_ message: RPCMessage, protocolVersion: String?) async throws {
        let stateless = protocolVersion.map(MCPProtocol.isStateless) ?? false
        if stateless, message.method == "notifications/cancelled" { return }  // the closed POST says it
        var request = HTTPRequest(method: "POST", url: url, headers: HTTPHeaders(headers), body: message.json.serializedData())
        request.headers["Content-Type"] = "application/json"
        request.headers["Accept"] = "application/json, text/event-stream"
        if let protocolVersion { request.headers["MCP-Protocol-Version"] = protocolVersion }
        if let id = session.withLock({ $0 }), !stateless { request.headers["Mcp-Session-Id"] = id }
        if stateless, case .request(_, let method, let params) = message {
            request.headers["Mcp-Method"] = method
            if let name = params?["name"]?.stringValue ?? params?["uri"]?.stringValue { request.headers["Mcp-Name"] = Self.headerValue(name) }
        }
        let response = try await http.stream(request)
        if let id = response.headers["mcp-session-id"] { session.withLock { $0 = id } }
        let contentType = response.headers["content-type"]?.lowercased() ?? ""
        guard (200..<300).contains(response.status) else {
            let body = (try? await response.collect().body) ?? Data()
            // A JSON-RPC error in the body (e.g. -32022 with HTTP 400) is the answer itself.
            if let json = try? JSONValue(parsing: body), let answer = RPCMessage(json: json), case .error = answer {
                deliver(answer)
                return
            }
            let text = String(decoding: body.prefix(300), as: UTF8.self)
            if response.status == 404, session.withLock({ $0 }) != nil, !stateless {
                session.withLock { $0 = nil }
                let error = MCPError(.connectionLost, "MCP server '\(name)' (\(url.absoluteString)) no longer knows the session (HTTP 404); it is opened again on the next call")
                sink.withLock { $0 }?.finish(throwing: error)
                throw error
            }
            throw MCPError(.rpc, "MCP server '\(name)' (\(url.absoluteString)) answered \(message.method ?? "the message") with HTTP \(response.status): \(text)",
                           rpcCode: RPCErrorObject.invalidRequest)
        }
        if contentType.hasPrefix("text/event-stream") {
            var parser = ServerSentEventParser()
            for try await chunk in response.chunks {
                for event in parser.feed(chunk) { try deliver(event: event) }
            }
            if let event = parser.finish() { try deliver(event: event) }
        } else {
            let body = try await response.collect().body
            guard !body.isEmpty else { return }  // 202 for a notification or a response
            guard let json = try? JSONValue(parsing: body), let answer = RPCMessage(json: json) else {
                throw MCPError(.badResponse, "MCP server '\(name)' (\(url.absoluteString)) answered with a body that is not JSON-RPC: \(String(decoding: body.prefix(200), as: UTF8.self))")
            }
            deliver(answer)
        }
    }

    /// Ends the session with DELETE (a server may answer 405: sessions it cannot end early).
    public func close() async {
        if let id = session.withLock({ id in defer { id = nil }; return id }) {
            var request = HTTPRequest(method: "DELETE", url: url, headers: HTTPHeaders(headers))
            request.headers["Mcp-Session-Id"] = id
            _ = try? await http.send(request)
        }
        sink.withLock { $0 }?.finish()
    }

    private func deliver(_ message: RPCMessage) {
        sink.withLock { $0 }?.yield(message)
    }

    private func deliver(event: ServerSentEvent) throws {
        guard event.event == nil || event.event == "message", !event.data.isEmpty else { return }
        guard let json = try? JSONValue(parsing: event.data), let message = RPCMessage(json: json) else {
            throw MCPError(.badResponse, "MCP server '\(name)' sent an event that is not JSON-RPC: \(event.data.prefix(200))")
        }
        deliver(message)
    }

    /// Header values are ASCII; anything else is sent as `=?base64?…?=` (2026-07-28).
    static func headerValue(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) { return text }
        return "=?base64?" + Data(text.utf8).base64EncodedString() + "?="
    }
}
