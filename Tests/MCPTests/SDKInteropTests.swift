import Cassettes
import Foundation
import MCP
import OrchJSON
import Testing

/// Our client against a server written with the official Python SDK (Fixtures/mcp/sdk_server.py).
/// Serialized, with a long handshake timeout: each SDK process spends seconds importing on a busy machine.
@Suite("MCP interop: our client, the Python SDK's server", .serialized, .timeLimit(.minutes(5)))
struct SDKInteropTests {
    private func exercise(_ client: MCPClient) async throws {
        let tools = try await client.listTools()
        #expect(Set(tools.map(\.name)) == ["add", "divide", "shout"])
        #expect(tools.first { $0.name == "add" }?.inputSchema["required"] == ["a", "b"])
        let sum = try await client.callTool("add", arguments: ["a": 40, "b": 2])
        #expect(sum.value == ["result": 42])
        let failed = try await client.callTool("divide", arguments: ["a": 1, "b": 0])
        #expect(failed.isError)
        #expect(failed.text.contains("cannot divide by zero"))
    }

    @Test("stdio, both eras", .enabled(if: sdkPython != nil, Comment(rawValue: sdkMissing)), arguments: [MCPEra.auto, .session])
    func stdio(_ era: MCPEra) async throws {
        let launch = StdioLaunch(command: try #require(sdkPython), arguments: [fixture("sdk_server.py")])
        let client = try await MCPClient.connect(name: "sdk", transport: StdioTransport(name: "sdk", launch: launch), era: era, timeout: .seconds(180))
        #expect(client.server.protocolVersion == (era == .auto ? "2026-07-28" : "2025-11-25"))
        try await client.ping()
        try await exercise(client)
        await client.close()
    }

    @Test("Streamable HTTP, both eras", .enabled(if: sdkPython != nil, Comment(rawValue: sdkMissing)), arguments: [MCPEra.auto, .session])
    func http(_ era: MCPEra) async throws {
        let port = freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(sdkPython))
        process.arguments = [fixture("sdk_server.py"), "--http", "\(port)"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // uvicorn may linger on SIGTERM while connections close; the test must not wait for it.
        defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        let ready = try await onOwnThread { waitForLine(err, containing: "Uvicorn running") }
        try #require(ready, "the SDK server did not start")
        let transport = StreamableHTTPTransport(name: "sdk-http", url: URL(string: "http://127.0.0.1:\(port)/mcp")!, http: URLSessionTransport())
        let client = try await MCPClient.connect(name: "sdk-http", transport: transport, era: era, timeout: .seconds(180))
        #expect(client.server.protocolVersion == (era == .auto ? "2026-07-28" : "2025-11-25"))
        try await exercise(client)
        await client.close()
    }
}

/// Runs blocking work on a thread of its own, off the cooperative pool.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// For stdio-only configurations: any HTTP use is a test failure.
struct NoHTTP: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        Issue.record("unexpected HTTP request \(request.url)")
        throw URLError(.unsupportedURL)
    }
}
