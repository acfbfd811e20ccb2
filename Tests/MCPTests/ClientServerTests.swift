import Foundation
import MCP
import OrchJSON
import Testing

/// Our client against our server core, in memory: both eras, negotiation, the typed results.
@Suite("MCP client and server in memory")
struct ClientServerTests {
    @Test("auto probes server/discover and uses the stateless revision when the server speaks it")
    func autoPicksStateless() async throws {
        let (client, server) = InMemoryTransport.pair()
        serve(MCPServerCore(provider: Adder()), on: server)
        let mcp = try await MCPClient.connect(name: "mem", transport: client)
        #expect(mcp.server.protocolVersion == "2026-07-28")
        #expect(mcp.server.info?["name"] == "orch-eval")
        let result = try await mcp.callTool("add", arguments: ["a": 2, "b": 3])
        #expect(result.value == ["sum": 5])
        #expect(result.text == "5.0")
        await mcp.close()
    }

    @Test("session era: initialize negotiates 2025-11-25, then ping and tools work")
    func sessionEra() async throws {
        let (client, server) = InMemoryTransport.pair()
        serve(MCPServerCore(provider: Adder()), on: server)
        let mcp = try await MCPClient.connect(name: "mem", transport: client, era: .session)
        #expect(mcp.server.protocolVersion == "2025-11-25")
        try await mcp.ping()
        #expect(try await mcp.listTools().map(\.name) == ["add"])
        await mcp.close()
    }

    @Test("an unknown tool is a JSON-RPC error naming the server")
    func unknownTool() async throws {
        let (client, server) = InMemoryTransport.pair()
        serve(MCPServerCore(provider: Adder()), on: server)
        let mcp = try await MCPClient.connect(name: "mem", transport: client)
        let error = await #expect(throws: MCPError.self) { try await mcp.callTool("subtract", arguments: [:]) }
        #expect(error?.rpcCode == -32602)
        #expect(error?.message.contains("MCP server 'mem'") == true)
        await mcp.close()
    }

    @Test("the server answers a stateless request of an unknown revision with -32022 and its versions")
    func serverRefusesUnknownRevision() async throws {
        let core = MCPServerCore(provider: Adder())
        let answer = await core.answer(.request(id: .int(1), method: "tools/list",
                                                params: ["_meta": [MCPProtocol.protocolVersionKey: "2099-01-01"]]))
        guard case .error(_, let error)? = answer else { Issue.record("expected an error, got \(String(describing: answer))"); return }
        #expect(error.code == -32022)
        #expect(error.data?["requested"] == "2099-01-01")
        #expect(error.data?["supported"]?.arrayValue?.contains("2026-07-28") == true)
    }

    @Test("a tool result: structuredContent wins; else a JSON text is read as JSON; images stay items")
    func resultValue() {
        let image: JSONValue = ["type": "image", "data": "iVBORw0KGgo=", "mimeType": "image/png"]
        #expect(MCPToolResult(content: [["type": "text", "text": "{\"a\":1}"]]).value == ["a": 1])
        #expect(MCPToolResult(content: [["type": "text", "text": "plain words"]]).value == "plain words")
        #expect(MCPToolResult(content: [["type": "text", "text": "1"], image]).value == [1, image])
        #expect(MCPToolResult(content: [["type": "text", "text": "x"]], structuredContent: ["b": 2]).value == ["b": 2])
    }

    @Test("messages round-trip through their JSON-RPC form")
    func messagesRoundTrip() {
        let messages: [RPCMessage] = [
            .request(id: .int(7), method: "tools/list", params: ["cursor": "c"]),
            .request(id: .string("abc"), method: "ping", params: nil),
            .notification(method: "notifications/initialized", params: nil),
            .result(id: .int(7), result: ["tools": []]),
            .error(id: .int(8), RPCErrorObject(code: -32601, message: "Method not found")),
        ]
        for message in messages {
            #expect(RPCMessage(line: Array(message.line.utf8)) == message)
            #expect(!message.line.contains("\n"))
        }
        #expect(RPCMessage(line: Array(#"{"id":1,"result":{}}"#.utf8)) == nil, "jsonrpc 2.0 is required")
    }
}
