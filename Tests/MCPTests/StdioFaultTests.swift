import Foundation
import MCP
import OrchJSON
import Testing

/// Our client against a real subprocess that misbehaves on purpose (Fixtures/mcp/fault_server.py).
@Suite("MCP stdio faults", .timeLimit(.minutes(2)))
struct StdioFaultTests {
    private func connect(_ launch: StdioLaunch) async throws -> MCPClient {
        try await MCPClient.connect(name: "faulty", transport: StdioTransport(name: "faulty", launch: launch))
    }

    @Test("a server without server/discover gets the initialize handshake; progress notifications are ignored")
    func fallsBackToInitialize() async throws {
        let client = try await connect(faultServer())
        #expect(client.server.protocolVersion == "2025-11-25")
        #expect(try await client.callTool("echo", arguments: ["x": 1]).value == ["x": 1])
        await client.close()
    }

    @Test("500 tools over 8 pages are listed whole")
    func pagination() async throws {
        let client = try await connect(faultServer("--tools", "494", "--page", "64"))
        let tools = try await client.listTools()
        #expect(tools.count == 500)
        #expect(Set(tools.map(\.name)).count == 500)
        await client.close()
    }

    @Test("isError is a result carrying the server's text")
    func toolError() async throws {
        let client = try await connect(faultServer())
        let result = try await client.callTool("fail", arguments: [:])
        #expect(result.isError)
        #expect(result.text == "the disk is full")
        await client.close()
    }

    @Test("an unsupported protocol version is an error naming both sides")
    func unsupportedVersion() async throws {
        let error = await #expect(throws: MCPError.self) { try await connect(faultServer("--version", "2099-01-01")) }
        #expect(error?.kind == .unsupportedVersion)
        #expect(error?.message.contains("'faulty' speaks protocol revision 2099-01-01") == true)
        #expect(error?.message.contains("orch-eval speaks 2024-11-05, 2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28") == true)
    }

    @Test("an initialize refusal naming an older revision we speak is retried with it; one naming none of ours is an error")
    func initializeRefusal() async throws {
        let client = try await connect(faultServer("--only", "2025-03-26"))
        #expect(client.server.protocolVersion == "2025-03-26")
        await client.close()
        let error = await #expect(throws: MCPError.self) { try await connect(faultServer("--only", "1.0.0")) }
        #expect(error?.kind == .unsupportedVersion)
        #expect(error?.message.contains("speaks protocol revision 1.0.0; orch-eval speaks 2024-11-05") == true, "\(error?.message ?? "")")
    }

    @Test("a server that exits mid-call: the error names it, with its last stderr line; the next call starts it again")
    func exitMidCall() async throws {
        let connection = MCPServerConnection(config: MCPServerConfig(name: "faulty", transport: .stdio(faultServer())), http: NoHTTP())
        _ = try await connection.listTools()
        let firstPID = try #require(await connection.pid)
        let error = await #expect(throws: MCPError.self) { try await connection.callTool("exit", arguments: [:]) }
        #expect(error?.kind == .connectionLost)
        #expect(error?.message.contains("MCP server 'faulty' exited with status 3") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("exiting on purpose") == true)
        #expect(try await connection.callTool("echo", arguments: ["again": true]).value == ["again": true])
        #expect(try #require(await connection.pid) != firstPID)
        await connection.stop()
        #expect(kill(firstPID, 0) != 0, "the first process is gone")
    }

    @Test("a line that is not JSON on stdout breaks the connection with a clear error")
    func garbage() async throws {
        let client = try await connect(faultServer())
        let error = await #expect(throws: MCPError.self) { try await client.callTool("garbage", arguments: [:]) }
        #expect(error?.message.contains("printed a line that is not JSON-RPC on stdout: 'this is not JSON'") == true, "\(error?.message ?? "")")
        #expect(client.failure != nil)
        await client.close()
    }

    @Test("cancelling a call that never answers sends notifications/cancelled, which the server receives")
    func cancelHangingCall() async throws {
        let client = try await connect(faultServer())
        // ids: 1 server/discover (refused), 2 initialize, 3 the hanging call.
        let call = Task { try await client.callTool("hang", arguments: [:]) }
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(try await client.callTool("cancellations", arguments: [:]).value == [3])
        await client.close()
    }

    @Test("a server that does not answer the handshake in time is a timeout naming it")
    func handshakeTimeout() async throws {
        let launch = StdioLaunch(command: "python3", arguments: ["-c", "import sys\nfor line in sys.stdin: pass"])
        let error = await #expect(throws: MCPError.self) {
            try await MCPClient.connect(name: "mute", transport: StdioTransport(name: "mute", launch: launch), timeout: .milliseconds(300))
        }
        #expect(error?.kind == .timeout)
        #expect(error?.message.contains("MCP server 'mute' did not answer server/discover") == true)
    }
}
