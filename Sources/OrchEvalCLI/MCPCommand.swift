import Cassettes
import Foundation
import MCP
import Orchestrator
import OrchJSON

/// `orch-eval mcp serve|ls`: serve the built-in tools to other MCP hosts, or list the
/// configured servers and their tools.
enum MCPCommand {
    static let serveSpec = CommandSpec(
        synopsis: "orch-eval mcp serve [--http PORT]",
        summary: "Serves receipt_ocr, line_item_parser, expense_categorizer and the registered functions as MCP tools,\nover stdio (default) or Streamable HTTP on 127.0.0.1, to clients of every revision (2024-11-05 to 2026-07-28).",
        options: [.value("--http", "PORT", "Serve Streamable HTTP at http://127.0.0.1:PORT/mcp instead of stdio\n(0 picks a free port; the address is printed on stderr).")],
        footer: """
            ENVIRONMENT:
              OCR_MODE=tesseract|fixture  How receipt_ocr reads images (see docs/receipts.md).

            Stdio mode ends when stdin closes; HTTP mode at Ctrl-C.
            """)

    static let lsSpec = CommandSpec(
        synopsis: "orch-eval mcp ls [--mcp-config FILE] [--json]",
        summary: "Starts each configured MCP server, lists its tools, and stops it.",
        options: [
            mcpConfigOption,
            .flag("--json", "Print the servers and tools as JSON on stdout."),
        ],
        footer: """
            Exit codes: 0 every server answered, 1 a server failed, 2 no or unusable configuration.
            """)

    /// `--mcp-config FILE`, shared by every command that runs plans.
    static let mcpConfigOption = OptionSpec.value("--mcp-config", "FILE", "MCP servers in the mcpServers JSON shape (default:\n$ORCH_MCP_CONFIG); their tools join the catalog as SERVER/TOOL.")

    static let usage = """
        USAGE: orch-eval mcp serve [--http PORT]
               orch-eval mcp ls [--mcp-config FILE] [--json]

        See `orch-eval mcp serve --help` and `orch-eval mcp ls --help`.

        """

    static func run(_ arguments: [String], io: CommandIO) async -> Int32 {
        switch arguments.first {
        case "serve": return await serve(Array(arguments.dropFirst()), io: io)
        case "ls": return await list(Array(arguments.dropFirst()), io: io)
        case "-h", "--help": io.out(usage); return ExitStatus.success
        default:
            io.err("Error: \(arguments.first.map { "unknown mcp subcommand '\($0)'" } ?? "missing mcp subcommand (serve or ls)")\n\n" + usage)
            return ExitStatus.usage
        }
    }

    static func serve(_ arguments: [String], io: CommandIO) async -> Int32 {
        let port: Int?
        switch serveSpec.parse(arguments, io: io, as: { parsed throws(UsageError) in try parsed.integer("--http", in: 0...65_535) }) {
        case .failure(let exit): return exit.code
        case .success(let parsed): port = parsed
        }
        let core: MCPServerCore
        do {
            core = MCPServerCore(provider: try ServedTools.standard(environment: io.environment), serverInfo: MCPProtocol.implementation,
                                 instructions: "Receipt tools: receipt_ocr reads an image, line_item_parser finds items, expense_categorizer adds categories; plus arithmetic functions.")
        } catch {
            io.err("Error: \(error)\n")
            return ExitStatus.usage
        }
        guard let port else {
            await MCPStdioServer.run(core)
            return ExitStatus.success
        }
        do {
            let server = try MCPHTTPServer(core: core, port: UInt16(port))
            io.err("orch-eval MCP server on http://127.0.0.1:\(server.port)/mcp (Ctrl-C stops it)\n")
            await InterruptSignal.cancellingOnInterrupt(io: io) { await server.serve() }
            return ExitStatus.success
        } catch {
            io.err("Error: \(error)\n")
            return ExitStatus.failure
        }
    }

    static func list(_ arguments: [String], io: CommandIO) async -> Int32 {
        let parsed: ParsedArguments
        switch lsSpec.parse(arguments, io: io, as: { $0 }) {
        case .failure(let exit): return exit.code
        case .success(let value): parsed = value
        }
        let config: MCPConfig
        do {
            guard let loaded = try MCPConfig.load(option: parsed.value("--mcp-config"), environment: io.environment) else {
                io.err("Error: no MCP configuration: give --mcp-config FILE or set \(MCPConfig.environmentVariable)\n")
                return ExitStatus.usage
            }
            config = loaded
        } catch {
            io.err("Error: \(error)\n")
            return ExitStatus.usage
        }
        var report: [JSONValue] = []
        var failed = false
        for server in config.servers {
            let connection = MCPServerConnection(config: server, http: URLSessionTransport())
            var entry: [String: JSONValue] = ["name": .string(server.name)]
            do {
                let tools = try await connection.listTools()
                let client = try await connection.connected()
                entry["protocol_version"] = .string(client.server.protocolVersion)
                entry["server_info"] = client.server.info ?? .null
                entry["tools"] = .array(tools.map { ["name": .string($0.name), "description": .string($0.description), "input_schema": $0.inputSchema] })
                if !parsed.flag("--json") {
                    io.out("\(server.name)  (protocol \(client.server.protocolVersion), \(tools.count) tools)\n")
                    for tool in tools { io.out("  \(server.name)/\(tool.name)  \(tool.description.split(separator: "\n").first ?? "")\n") }
                }
            } catch {
                failed = true
                entry["error"] = .string("\(error)")
                io.err("Error: \(error)\n")
            }
            await connection.stop()
            report.append(.object(entry))
        }
        if parsed.flag("--json") { io.out(JSONValue.object(["servers": .array(report)]).serialized(.pretty) + "\n") }
        return failed ? ExitStatus.failure : ExitStatus.success
    }
}
