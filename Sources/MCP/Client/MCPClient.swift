import OrchJSON

/// Which protocol era a client uses: probe (`server/discover`, falling back to `initialize`),
/// or one era only.
public enum MCPEra: String, Sendable, CaseIterable {
    case auto
    /// The `initialize` handshake (revisions up to 2025-11-25).
    case session
    /// 2026-07-28: no handshake; version and capabilities ride in each request's `_meta`.
    case stateless
}

/// A connected MCP client: lists and calls one server's tools.
///
/// ```swift
/// let (ours, theirs) = InMemoryTransport.pair()
/// let client = try await MCPClient.connect(name: "demo", transport: ours)
/// let tools = try await client.listTools()
/// let result = try await client.callTool("add", arguments: ["a": 1, "b": 2])
/// ```
public final class MCPClient: Sendable {
    /// The server's name in the configuration.
    public let name: String
    /// What the server said about itself, with the revision agreed on.
    public let server: MCPServerInfo
    let connection: RPCConnection

    init(connection: RPCConnection, server: MCPServerInfo) {
        self.name = connection.name
        self.connection = connection
        self.server = server
    }

    /// Opens `transport` and agrees on a revision (see `MCPEra`). `timeout` bounds each
    /// request of the handshake.
    ///
    /// - Throws: `MCPError` (`.unsupportedVersion` naming both sides' revisions, `.timeout`,
    ///   `.connectionLost`, …).
    public static func connect(name: String, transport: any MCPTransport, era: MCPEra = .auto,
                               timeout: Duration = .seconds(30)) async throws -> MCPClient {
        let connection = RPCConnection(name: name, transport: transport)
        do {
            try await connection.start()
            let server = try await Negotiation(connection: connection, timeout: timeout).run(era)
            connection.protocolVersion = server.protocolVersion
            return MCPClient(connection: connection, server: server)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Whether the connection uses the stateless revision.
    public var isStateless: Bool { MCPProtocol.isStateless(server.protocolVersion) }

    /// Why the connection broke (the process exited, the session expired), or nil while it works.
    public var failure: MCPError? { connection.failure }

    /// Sends `M` and decodes its result. In the stateless revision `params._meta` carries the
    /// version and the client's info and capabilities, and an `input_required` result is an error.
    public func send<M: RPCMethod>(_ method: M.Type, params: JSONValue? = nil, timeout: Duration? = nil) async throws -> M.Result {
        var params = params
        if isStateless { params = Self.stamped(params, version: server.protocolVersion) }
        let result = try await connection.request(M.name, params: params, timeout: timeout)
        if isStateless, let type = result["resultType"]?.stringValue, type != "complete" {
            throw MCPError(.badResponse, "MCP server '\(name)' answered \(M.name) with resultType '\(type)': it needs input (elicitation, sampling) that orch-eval cannot give")
        }
        do {
            return try M.decode(result)
        } catch {
            throw MCPError(.badResponse, "MCP server '\(name)': \(error.message)")
        }
    }

    /// `ping` (session era; the stateless revision has none, so there it succeeds at once).
    public func ping(timeout: Duration? = nil) async throws {
        guard !isStateless else { return }
        try await send(PingMethod.self, timeout: timeout)
    }

    /// Every tool, following `nextCursor` page by page.
    public func listTools(timeout: Duration? = nil) async throws -> [MCPToolInfo] {
        var tools: [MCPToolInfo] = []
        var cursor: String?
        var seen: Set<String> = []
        repeat {
            let page = try await send(ListToolsMethod.self, params: cursor.map { ["cursor": .string($0)] }, timeout: timeout)
            tools += page.tools
            cursor = page.nextCursor
            if let cursor, !seen.insert(cursor).inserted {
                throw MCPError(.badResponse, "MCP server '\(name)' gave the tools/list cursor '\(cursor)' twice; stopped listing")
            }
        } while cursor != nil
        return tools
    }

    /// Calls a tool. A tool's own failure is a result with `isError`, not a thrown error.
    public func callTool(_ tool: String, arguments: JSONValue) async throws -> MCPToolResult {
        try await send(CallToolMethod.self, params: ["name": .string(tool), "arguments": arguments])
    }

    /// Ends the connection (for HTTP sessions, with DELETE; for stdio, the process is stopped).
    public func close() async {
        await connection.close()
    }

    static func stamped(_ params: JSONValue?, version: String) -> JSONValue {
        var object = params?.objectValue ?? [:]
        var meta = object["_meta"]?.objectValue ?? [:]
        meta[MCPProtocol.protocolVersionKey] = .string(version)
        meta[MCPProtocol.clientInfoKey] = MCPProtocol.implementation
        meta[MCPProtocol.clientCapabilitiesKey] = [:]
        object["_meta"] = .object(meta)
        return .object(object)
    }
}
