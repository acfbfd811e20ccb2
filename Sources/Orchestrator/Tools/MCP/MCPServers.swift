import Cassettes
import MCP

/// The configured MCP servers of one run: started before validation (which needs their tool
/// lists), shared by every step, stopped at the end. `exec` does:
///
/// ```swift
/// let servers = try await MCPServers.start(config)
/// var catalog = try StandardTools.catalog(environment: environment)
/// servers.add(to: &catalog)
/// … validate, run …
/// await servers.stop()
/// ```
public final class MCPServers: Sendable {
    public let connections: [MCPServerConnection]
    /// Every server's tools, in configuration order.
    public let tools: [MCPStepTool]

    init(connections: [MCPServerConnection], tools: [MCPStepTool]) {
        self.connections = connections
        self.tools = tools
    }

    /// Connects to every server at once and lists its tools. When one fails, the others are
    /// stopped and the error names the server.
    ///
    /// - Parameter http: carries Streamable HTTP traffic (pass a cassette transport to record it).
    public static func start(_ config: MCPConfig, http: any HTTPTransport = URLSessionTransport()) async throws -> MCPServers {
        let connections = config.servers.map { MCPServerConnection(config: $0, http: http) }
        let listed = await withTaskGroup(of: (Int, Result<[MCPToolInfo], any Error>).self) { group in
            for (index, connection) in connections.enumerated() {
                group.addTask { (index, await Result { try await connection.listTools() }) }
            }
            var results = [Result<[MCPToolInfo], any Error>?](repeating: nil, count: connections.count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
        var tools: [MCPStepTool] = []
        for (connection, result) in zip(connections, listed) {
            switch result {
            case .success(let list):
                tools += list.map { MCPStepTool(server: connection, serverName: connection.config.name, tool: $0) }
            case .failure(let error):
                for connection in connections { await connection.stop() }
                throw error
            }
        }
        return MCPServers(connections: connections, tools: tools)
    }

    /// Adds every tool as `SERVER/TOOL`, and under its bare name (which works when exactly
    /// one server has the tool and no built-in tool has the name).
    public func add(to catalog: inout ToolCatalog) {
        for tool in tools { catalog.add(tool, alias: tool.tool.name) }
    }

    /// Stops every server (stdio processes: stdin closed, SIGTERM, SIGKILL; HTTP: DELETE).
    public func stop() async {
        await withTaskGroup(of: Void.self) { group in
            for connection in connections { group.addTask { await connection.stop() } }
        }
    }
}

extension Result where Failure == any Error {
    fileprivate init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
