import OrchJSON

/// The protocol revisions orch-eval speaks, as client and as server.
public enum MCPProtocol {
    /// Revisions reached with the `initialize` handshake (session era), oldest first.
    public static let sessionVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
    /// The stateless revision: no handshake, version and capabilities in each request's `_meta`.
    public static let statelessVersion = "2026-07-28"
    /// Every revision, oldest first.
    public static var allVersions: [String] { sessionVersions + [statelessVersion] }
    /// What `initialize` proposes.
    public static let latestSessionVersion = "2025-11-25"

    /// Whether `version` is a stateless revision (its HTTP requests carry `Mcp-Method`).
    public static func isStateless(_ version: String) -> Bool { version >= statelessVersion }

    public static let protocolVersionKey = "io.modelcontextprotocol/protocolVersion"
    public static let clientInfoKey = "io.modelcontextprotocol/clientInfo"
    public static let clientCapabilitiesKey = "io.modelcontextprotocol/clientCapabilities"
    public static let serverInfoKey = "io.modelcontextprotocol/serverInfo"

    /// The name and version orch-eval gives as `clientInfo` and `serverInfo`.
    public static let implementation: JSONValue = ["name": "orch-eval", "version": "0.1.0"]
}

/// A typed JSON-RPC method: its name and how its result is read.
///
/// ```swift
/// enum Ping: RPCMethod {
///     static let name = "ping"
///     static func decode(_ result: JSONValue) throws(MCPError) {}
/// }
/// ```
public protocol RPCMethod {
    associatedtype Result: Sendable
    static var name: String { get }
    static func decode(_ result: JSONValue) throws(MCPError) -> Result
}

/// `ping`: an empty result means the peer is alive (session era only).
public enum PingMethod: RPCMethod {
    public static let name = "ping"
    public static func decode(_ result: JSONValue) throws(MCPError) {}
}

/// `initialize`: the session-era handshake.
public enum InitializeMethod: RPCMethod {
    public static let name = "initialize"
    public static func decode(_ result: JSONValue) throws(MCPError) -> MCPServerInfo {
        guard let version = result["protocolVersion"]?.stringValue else {
            throw MCPError(.badResponse, "the initialize result has no protocolVersion")
        }
        return MCPServerInfo(protocolVersion: version, info: result["serverInfo"], capabilities: result["capabilities"],
                             instructions: result["instructions"]?.stringValue)
    }
}

/// `server/discover`: the stateless revision's description of the server.
public enum DiscoverMethod: RPCMethod {
    public static let name = "server/discover"
    public static func decode(_ result: JSONValue) throws(MCPError) -> [String] {
        guard let versions = result["supportedVersions"]?.arrayValue?.compactMap(\.stringValue) else {
            throw MCPError(.badResponse, "the server/discover result has no supportedVersions")
        }
        return versions
    }
}

/// `tools/list`: one page of tools and the cursor of the next page.
public enum ListToolsMethod: RPCMethod {
    public static let name = "tools/list"
    public static func decode(_ result: JSONValue) throws(MCPError) -> (tools: [MCPToolInfo], nextCursor: String?) {
        guard let items = result["tools"]?.arrayValue else { throw MCPError(.badResponse, "the tools/list result has no 'tools' array") }
        var tools: [MCPToolInfo] = []
        for item in items {
            guard let tool = MCPToolInfo(json: item) else {
                throw MCPError(.badResponse, "tools/list lists a tool without a name or an object inputSchema: \(item.serialized())")
            }
            tools.append(tool)
        }
        return (tools, result["nextCursor"]?.stringValue)
    }
}

/// `tools/call`: the tool's result (content, structured content, whether it failed).
public enum CallToolMethod: RPCMethod {
    public static let name = "tools/call"
    public static func decode(_ result: JSONValue) throws(MCPError) -> MCPToolResult {
        guard let result = MCPToolResult(json: result) else {
            throw MCPError(.badResponse, "the tools/call result has no 'content' array: \(result.serialized().prefix(200))")
        }
        return result
    }
}

/// What a server said about itself when the connection was made.
public struct MCPServerInfo: Sendable, Equatable {
    public var protocolVersion: String
    /// `serverInfo` (`{"name", "version"}`), when the server gave one.
    public var info: JSONValue?
    public var capabilities: JSONValue?
    public var instructions: String?

    public init(protocolVersion: String, info: JSONValue? = nil, capabilities: JSONValue? = nil, instructions: String? = nil) {
        self.protocolVersion = protocolVersion
        self.info = info
        self.capabilities = capabilities
        self.instructions = instructions
    }
}
