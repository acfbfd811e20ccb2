import Foundation
import MCP
import OrchJSON
import Testing

@Suite("MCP configuration")
struct ConfigTests {
    @Test("stdio and HTTP servers; ${VAR} in headers; env over a minimal environment; cwd relative to the file")
    func parses() throws {
        let json = try JSONValue(parsing: #"""
            {"mcpServers": {
              "local": {"command": "python3", "args": ["s.py"], "env": {"MODE": "x"}, "cwd": "tools"},
              "remote": {"url": "http://127.0.0.1:9/mcp", "headers": {"Authorization": "Bearer ${TOKEN}"}, "protocol": "session"}
            }}
            """#)
        let environment = ["TOKEN": "t0k", "PATH": "/usr/bin", "SECRET_KEY": "leak"]
        let config = try MCPConfig.parse(json, source: "mcp.json", baseDirectory: URL(fileURLWithPath: "/etc/orch"), environment: environment)
        #expect(config.servers.map(\.name) == ["local", "remote"])
        guard case .stdio(let launch) = config.servers[0].transport, case .http(let url, let headers) = config.servers[1].transport else {
            Issue.record("wrong transports"); return
        }
        #expect(launch.environment == ["PATH": "/usr/bin", "MODE": "x"], "only the minimal variables pass, never SECRET_KEY")
        #expect(launch.directory == "/etc/orch/tools")
        #expect(url.absoluteString == "http://127.0.0.1:9/mcp")
        #expect(headers == ["Authorization": "Bearer t0k"])
        #expect(config.servers[1].era == .session)
    }

    @Test("problems name the file, the server and the field", arguments: [
        (#"{"servers": {}}"#, "expected an object {\"mcpServers\""),
        (#"{"mcpServers": {"a/b": {"command": "x"}}}"#, "mcpServers.a/b: a server name cannot"),
        (#"{"mcpServers": {"s": {"args": []}}}"#, "mcpServers.s: needs \"command\""),
        (#"{"mcpServers": {"s": {"url": "http://h", "headers": {"X": "${NOPE}"}}}}"#, "mcpServers.s.headers.X names the environment variable NOPE"),
        (#"{"mcpServers": {"s": {"command": "x", "protocol": "fast"}}}"#, "protocol must be one of auto, session, stateless"),
    ])
    func problems(_ text: String, _ expected: String) throws {
        let error = #expect(throws: MCPError.self) {
            try MCPConfig.parse(try JSONValue(parsing: text), source: "mcp.json", baseDirectory: URL(fileURLWithPath: "/"), environment: [:])
        }
        #expect(error?.message.hasPrefix("mcp.json") == true)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }
}
