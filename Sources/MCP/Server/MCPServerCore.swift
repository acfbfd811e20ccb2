import OrchJSON

/// The tools a server offers. `call` returns nil for a tool it does not have.
///
/// ```swift
/// struct Echo: MCPToolProvider {
///     let tools = [MCPToolInfo(name: "echo", description: "Echoes", inputSchema: ["type": "object"])]
///     func call(_ name: String, arguments: JSONValue) async -> MCPToolResult? {
///         name == "echo" ? MCPToolResult(content: [], structuredContent: arguments) : nil
///     }
/// }
/// ```
public protocol MCPToolProvider: Sendable {
    var tools: [MCPToolInfo] { get }
    func call(_ name: String, arguments: JSONValue) async -> MCPToolResult?
}

/// Answers MCP requests of both eras for a tool provider, independent of the transport:
/// `initialize` (echoing a revision it speaks, else offering 2025-11-25), `ping`,
/// `server/discover`, `tools/list` and `tools/call`. A request whose `_meta` names a
/// protocol version is answered statelessly (with `resultType` and the server's info in
/// `_meta`); a version it does not speak gets -32022 with the supported list.
public struct MCPServerCore: Sendable {
    public let provider: any MCPToolProvider
    public let serverInfo: JSONValue
    public let instructions: String?

    public init(provider: any MCPToolProvider, serverInfo: JSONValue = MCPProtocol.implementation, instructions: String? = nil) {
        self.provider = provider
        self.serverInfo = serverInfo
        self.instructions = instructions
    }

    /// The answer to one request (never nil), or nil for a notification or a response.
    public func answer(_ message: RPCMessage) async -> RPCMessage? {
        guard case .request(let id, let method, let params) = message else { return nil }
        let statelessVersion = params?["_meta"]?[MCPProtocol.protocolVersionKey]?.stringValue
        if let version = statelessVersion, version != MCPProtocol.statelessVersion {
            return .error(id: id, RPCErrorObject(code: RPCErrorObject.unsupportedProtocolVersion, message: "Unsupported protocol version",
                                                 data: ["supported": .array(MCPProtocol.allVersions.map(JSONValue.string)), "requested": .string(version)]))
        }
        let outcome = await result(method: method, params: params, stateless: statelessVersion != nil)
        switch outcome {
        case .success(var result):
            if statelessVersion != nil, case .object(var object) = result {
                object["resultType"] = "complete"
                var meta = object["_meta"]?.objectValue ?? [:]
                meta[MCPProtocol.serverInfoKey] = serverInfo
                object["_meta"] = .object(meta)
                result = .object(object)
            }
            return .result(id: id, result: result)
        case .failure(let error):
            return .error(id: id, error)
        }
    }

    private func result(method: String, params: JSONValue?, stateless: Bool) async -> Result<JSONValue, RPCErrorObject> {
        let capabilities: JSONValue = ["tools": ["listChanged": false]]
        switch method {
        case InitializeMethod.name:
            let requested = params?["protocolVersion"]?.stringValue ?? ""
            let version = MCPProtocol.sessionVersions.contains(requested) ? requested : MCPProtocol.latestSessionVersion
            var result: [String: JSONValue] = ["protocolVersion": .string(version), "capabilities": capabilities, "serverInfo": serverInfo]
            if let instructions { result["instructions"] = .string(instructions) }
            return .success(.object(result))
        case PingMethod.name:
            return .success([:])
        case DiscoverMethod.name:
            var result: [String: JSONValue] = ["supportedVersions": .array(MCPProtocol.allVersions.reversed().map(JSONValue.string)),
                                               "capabilities": capabilities, "ttlMs": 3_600_000, "cacheScope": "public"]
            if let instructions { result["instructions"] = .string(instructions) }
            return .success(.object(result))
        case ListToolsMethod.name:
            var result: [String: JSONValue] = ["tools": .array(provider.tools.map(\.json))]
            if stateless { result["ttlMs"] = 3_600_000; result["cacheScope"] = "public" }
            return .success(.object(result))
        case CallToolMethod.name:
            guard let name = params?["name"]?.stringValue else {
                return .failure(RPCErrorObject(code: RPCErrorObject.invalidParams, message: "tools/call needs params.name"))
            }
            let arguments = params?["arguments"] ?? [:]
            guard let result = await provider.call(name, arguments: arguments) else {
                return .failure(RPCErrorObject(code: RPCErrorObject.invalidParams, message: "Unknown tool: \(name)",
                                               data: ["tools": .array(provider.tools.map { .string($0.name) })]))
            }
            return .success(result.json)
        default:
            return .failure(RPCErrorObject(code: RPCErrorObject.methodNotFound, message: "Method not found: \(method)"))
        }
    }
}
