import Foundation
import OrchJSON

/// MCP servers configured in the `mcpServers` shape other MCP hosts use:
///
/// ```json
/// {"mcpServers": {
///   "adder": {"command": "python3", "args": ["server.py"], "env": {"LOG": "1"}, "cwd": "tools"},
///   "remote": {"url": "http://127.0.0.1:8931/mcp", "headers": {"Authorization": "Bearer ${MCP_TOKEN}"}}
/// }}
/// ```
///
/// `${VAR}` in a header or `env` value is replaced by orch-eval's environment variable, so no
/// secret is written in the file. A relative `cwd` is relative to the file's folder.
public struct MCPConfig: Sendable, Equatable {
    public var servers: [MCPServerConfig]

    public init(servers: [MCPServerConfig]) { self.servers = servers }

    /// The environment variable naming a configuration file when `--mcp-config` is not given.
    public static let environmentVariable = "ORCH_MCP_CONFIG"

    /// The configuration `option` (a `--mcp-config` value) or `ORCH_MCP_CONFIG` names, or nil
    /// when neither is set.
    public static func load(option: String?, environment: [String: String]) throws -> MCPConfig? {
        guard let path = option ?? environment[environmentVariable].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        return try load(file: path, environment: environment)
    }

    public static func load(file path: String, environment: [String: String]) throws -> MCPConfig {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw MCPError(.configuration, "\(path): cannot read the MCP configuration (\(error.localizedDescription))")
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: data) } catch {
            throw MCPError(.configuration, "\(path): \(error)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try parse(json, source: path, baseDirectory: folder, environment: environment)
    }

    /// Reads a configuration value; every problem names `source` and the field.
    public static func parse(_ json: JSONValue, source: String, baseDirectory: URL, environment: [String: String]) throws -> MCPConfig {
        guard let servers = json["mcpServers"]?.objectValue else {
            throw MCPError(.configuration, "\(source): expected an object {\"mcpServers\": {\"NAME\": {…}}}")
        }
        var configs: [MCPServerConfig] = []
        for (name, entry) in servers.sorted(by: { $0.key < $1.key }) {
            configs.append(try MCPServerConfig(name: name, json: entry, source: source, baseDirectory: baseDirectory, environment: environment))
        }
        return MCPConfig(servers: configs)
    }
}

/// One configured server.
public struct MCPServerConfig: Sendable, Equatable {
    public enum Transport: Sendable, Equatable {
        case stdio(StdioLaunch)
        case http(url: URL, headers: [String: String])
    }

    public var name: String
    public var transport: Transport
    /// Which protocol era to use (orch-eval's `"protocol"` key; default: probe).
    public var era: MCPEra
    /// How long connecting and listing may take (orch-eval's `"timeout_s"` key; default 30 s).
    public var timeout: Duration

    public init(name: String, transport: Transport, era: MCPEra = .auto, timeout: Duration = .seconds(30)) {
        self.name = name
        self.transport = transport
        self.era = era
        self.timeout = timeout
    }

    init(name: String, json: JSONValue, source: String, baseDirectory: URL, environment: [String: String]) throws {
        let place = "\(source): mcpServers.\(name)"
        func fail(_ message: String) -> MCPError { MCPError(.configuration, "\(place): \(message)") }
        guard !name.isEmpty, !name.contains("/"), !name.contains(where: \.isWhitespace) else {
            throw fail("a server name cannot be empty or contain '/' or spaces (plans name tools as SERVER/TOOL)")
        }
        guard json.objectValue != nil else { throw fail("expected an object with \"command\" or \"url\"") }
        func strings(_ key: String) throws -> [String: String] {
            guard let value = json[key], value != .null else { return [:] }
            guard let object = value.objectValue else { throw fail("\(key) must be an object of strings") }
            var result: [String: String] = [:]
            for (field, item) in object {
                guard let text = item.stringValue else { throw fail("\(key).\(field) must be a string") }
                result[field] = try Self.expand(text, environment: environment, field: "\(place).\(key).\(field)")
            }
            return result
        }
        self.name = name
        if let command = json["command"] {
            guard let command = command.stringValue, !command.isEmpty else { throw fail("command must be a non-empty string") }
            let argsValue = json["args"] ?? []
            guard let args = argsValue.arrayValue?.compactMap(\.stringValue), args.count == argsValue.arrayValue?.count else {
                throw fail("args must be an array of strings")
            }
            var directory: String?
            if let cwd = json["cwd"], cwd != .null {
                guard let text = cwd.stringValue else { throw fail("cwd must be a string") }
                directory = text.hasPrefix("/") ? text : baseDirectory.appendingPathComponent(text).standardizedFileURL.path
            }
            transport = .stdio(StdioLaunch(command: command, arguments: args, environment: try strings("env"), directory: directory,
                                           parentEnvironment: environment))
        } else if let url = json["url"] {
            guard let text = url.stringValue, let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme ?? "") else {
                throw fail("url must be an http:// or https:// address")
            }
            if json["type"]?.stringValue == "sse" {
                throw fail("the old HTTP+SSE transport (2024-11-05) is not supported; use the server's Streamable HTTP endpoint")
            }
            transport = .http(url: parsed, headers: try strings("headers"))
        } else {
            throw fail("needs \"command\" (a stdio server) or \"url\" (a Streamable HTTP server)")
        }
        era = .auto
        if let value = json["protocol"] {
            guard let text = value.stringValue, let chosen = MCPEra(rawValue: text) else {
                throw fail("protocol must be one of \(MCPEra.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            era = chosen
        }
        timeout = .seconds(30)
        if let value = json["timeout_s"] {
            guard let seconds = value.doubleValue, seconds > 0, seconds <= 86_400 else { throw fail("timeout_s must be a number of seconds > 0") }
            timeout = .milliseconds(Int(seconds * 1000))
        }
    }

    /// Replaces each `${VAR}` by the variable's value; an unset variable is an error naming it.
    static func expand(_ text: String, environment: [String: String], field: String) throws -> String {
        var result = ""
        var rest = text[...]
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { result += rest[start.lowerBound...]; return result }
            let variable = String(rest[start.upperBound..<end])
            guard let value = environment[variable] else {
                throw MCPError(.configuration, "\(field) names the environment variable \(variable), which is not set; set it (e.g. in .env) before running")
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
