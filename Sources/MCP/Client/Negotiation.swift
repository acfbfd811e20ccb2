import OrchJSON

/// Agrees on a revision the way the specification's compatibility rules (and the official
/// SDK's `mode='auto'`) do: probe `server/discover` at 2026-07-28; any JSON-RPC error falls
/// back to `initialize`, except -32022 naming only revisions we do not speak; a discover
/// result without a stateless revision is a legacy advertisement and falls back too.
struct Negotiation {
    let connection: RPCConnection
    let timeout: Duration

    func run(_ era: MCPEra) async throws -> MCPServerInfo {
        switch era {
        case .session: return try await initialize()
        case .stateless: return try await discover(fallback: false)!
        case .auto:
            if let stateless = try await discover(fallback: true) { return stateless }
            return try await initialize()
        }
    }

    /// The stateless server's info, or nil when the server is session-era (and `fallback`).
    private func discover(fallback: Bool) async throws -> MCPServerInfo? {
        let version = MCPProtocol.statelessVersion
        let result: JSONValue
        do {
            connection.protocolVersion = version
            defer { connection.protocolVersion = nil }
            result = try await connection.request(DiscoverMethod.name, params: MCPClient.stamped(nil, version: version), timeout: timeout)
        } catch let error as MCPError where error.kind == .rpc {
            let supported = error.data?["supported"]?.arrayValue?.compactMap(\.stringValue)
            if let supported, !supported.contains(where: MCPProtocol.allVersions.contains) {
                throw unsupported(theirs: supported)
            }
            if fallback { return nil }
            throw error
        }
        let versions = (try? DiscoverMethod.decode(result)) ?? []
        guard versions.contains(version) else {
            if fallback, versions.isEmpty || versions.contains(where: MCPProtocol.sessionVersions.contains) { return nil }
            throw unsupported(theirs: versions)
        }
        return MCPServerInfo(protocolVersion: version, info: result["_meta"]?[MCPProtocol.serverInfoKey],
                             capabilities: result["capabilities"], instructions: result["instructions"]?.stringValue)
    }

    /// `initialize` proposing `version`; a refusal naming an older revision we speak is tried once more with it.
    private func initialize(_ version: String = MCPProtocol.latestSessionVersion) async throws -> MCPServerInfo {
        let params: JSONValue = ["protocolVersion": .string(version), "capabilities": [:], "clientInfo": MCPProtocol.implementation]
        let result: JSONValue
        do {
            result = try await connection.request(InitializeMethod.name, params: params, timeout: timeout)
        } catch let error as MCPError where error.kind == .rpc {
            if let supported = error.data?["supported"]?.arrayValue?.compactMap(\.stringValue) {
                if let mutual = MCPProtocol.sessionVersions.last(where: supported.contains), mutual != version {
                    return try await initialize(mutual)
                }
                throw unsupported(theirs: supported)
            }
            throw error
        }
        let info: MCPServerInfo
        do { info = try InitializeMethod.decode(result) } catch {
            throw MCPError(.badResponse, "MCP server '\(connection.name)': \(error.message)")
        }
        guard MCPProtocol.sessionVersions.contains(info.protocolVersion) else { throw unsupported(theirs: [info.protocolVersion]) }
        connection.protocolVersion = info.protocolVersion
        try await connection.notify("notifications/initialized")
        return info
    }

    private func unsupported(theirs: [String]) -> MCPError {
        MCPError(.unsupportedVersion, "MCP server '\(connection.name)' speaks protocol revision \(theirs.isEmpty ? "(none named)" : theirs.joined(separator: ", ")); orch-eval speaks \(MCPProtocol.allVersions.joined(separator: ", ")). Update the server or orch-eval.")
    }
}
