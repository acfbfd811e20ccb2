import Cassettes
import Foundation
import OrchJSON

/// A configured server for the length of a run: connects on first use, shares the client
/// among all steps, and reconnects (restarting a stdio server) on the call after the
/// connection broke. `stop` ends it for good.
public actor MCPServerConnection {
    public nonisolated let config: MCPServerConfig
    private let http: any HTTPTransport
    private var client: MCPClient?
    private var connecting: Task<MCPClient, any Error>?
    private var stdio: StdioTransport?
    private var stopped = false

    /// - Parameter http: carries Streamable HTTP traffic (a cassette transport records it).
    public init(config: MCPServerConfig, http: any HTTPTransport) {
        self.config = config
        self.http = http
    }

    public nonisolated var name: String { config.name }

    /// The stdio server's process id while it runs.
    public var pid: Int32? { stdio?.pid }

    /// A working client: the current one, or a new connection when there is none or it broke.
    public func connected() async throws -> MCPClient {
        if let client, client.failure == nil { return client }
        if let connecting { return try await connecting.value }
        guard !stopped else { throw MCPError(.connectionLost, "MCP server '\(name)' was stopped at the end of the run") }
        let broken = client
        client = nil
        let task = Task { [config, http] () throws -> (MCPClient, StdioTransport?) in
            await broken?.close()
            let transport: any MCPTransport
            var stdio: StdioTransport?
            switch config.transport {
            case .stdio(let launch):
                stdio = StdioTransport(name: config.name, launch: launch)
                transport = stdio!
            case .http(let url, let headers):
                transport = StreamableHTTPTransport(name: config.name, url: url, headers: headers, http: http)
            }
            do {
                return (try await MCPClient.connect(name: config.name, transport: transport, era: config.era, timeout: config.timeout), stdio)
            } catch let error as MCPError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // URLSession's errors say little on their own; name the server and its address.
                throw MCPError(.connectionLost, "cannot reach MCP server '\(config.name)' (\(config.where)): \(error.localizedDescription)")
            }
        }
        let shared = Task { try await task.value.0 }
        connecting = shared
        defer { connecting = nil }
        let (fresh, stdioTransport) = try await task.value
        if stopped { await fresh.close(); throw MCPError(.connectionLost, "MCP server '\(name)' was stopped") }
        client = fresh
        stdio = stdioTransport
        return fresh
    }

    public func listTools() async throws -> [MCPToolInfo] {
        try await connected().listTools(timeout: config.timeout)
    }

    public func callTool(_ tool: String, arguments: JSONValue) async throws -> MCPToolResult {
        try await connected().callTool(tool, arguments: arguments)
    }

    /// Ends the connection and stops a stdio server (stdin closed, SIGTERM, SIGKILL).
    public func stop() async {
        stopped = true
        await client?.close()
        client = nil
        stdio = nil
    }
}

extension MCPServerConfig {
    /// The server's address or command, for messages.
    var `where`: String {
        switch transport {
        case .stdio(let launch): ([launch.command] + launch.arguments).joined(separator: " ")
        case .http(let url, _): url.absoluteString
        }
    }
}
