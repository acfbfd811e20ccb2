import Foundation
import OrchJSON
import Testing
@testable import OrchEvalCLI

/// The Python that has the official MCP SDK: `$ORCH_MCP_PYTHON`, else `.venv-mcp/bin/python`.
private let sdkPython: String? = {
    let path = ProcessInfo.processInfo.environment["ORCH_MCP_PYTHON"] ?? fixture(".venv-mcp/bin/python")
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()
private let sdkMissing: Comment = "the Python MCP SDK is not installed: run .ci/run, or set ORCH_MCP_PYTHON to a python with `pip install mcp`"
private let orchEvalBinary = Bundle.main.bundleURL.appendingPathComponent("orch-eval")

/// `exec --mcp-config`, `mcp ls` and `mcp serve`, with real server processes.
/// Serialized: each Python MCP SDK process spends seconds importing on a busy machine.
@Suite("mcp: servers in plans, ls, serve", .serialized, .timeLimit(.minutes(5)))
struct MCPCommandTests {
    /// A config whose servers are `Fixtures/mcp/fault_server.py`, one per name.
    private func faultConfig(_ dir: TemporaryDirectory, names: [String], env: [String: String] = [:]) throws -> String {
        let servers = names.map { name -> (String, JSONValue) in
            (name, ["command": "python3", "args": [.string(fixture("Fixtures/mcp/fault_server.py"))],
                    "env": .object(env.mapValues(JSONValue.string))])
        }
        return try dir.write("mcp.json", JSONValue.object(["mcpServers": .object(Dictionary(uniqueKeysWithValues: servers))]).serialized())
    }

    private func processIsGone(_ pidFile: URL) throws -> Bool {
        let pid = try #require(Int32(String(contentsOf: pidFile, encoding: .utf8)))
        return kill(pid, 0) != 0
    }

    @Test("a plan calls tools of an SDK-written stdio server; a tool error fails only its step; the server is gone after",
          .enabled(if: sdkPython != nil, sdkMissing))
    func planWithSDKServer() async throws {
        let dir = try TemporaryDirectory()
        let pidFile = dir.url.appendingPathComponent("pid")
        let config = try dir.write("mcp.json", JSONValue.object(["mcpServers": ["calc": [
            "command": .string(try #require(sdkPython)), "args": [.string(fixture("Fixtures/mcp/sdk_server.py"))],
            "env": ["PID_FILE": .string(pidFile.path)], "timeout_s": 180,
        ]]]).serialized())
        let (status, out, err) = await orchEval(["exec", fixture("Fixtures/mcp/calc-plan.json"), "--mcp-config", config, "--json"])
        #expect(status == 1, "\(err)")
        let result = try JSONValue(parsing: out)
        #expect(result["steps"]?["sum"]?["output"] == ["result": 42])
        #expect(result["steps"]?["loud"]?["output"] == ["result": "RECEIPT"], "a bare name works when one server has the tool")
        #expect(result["steps"]?["half"]?["output"] == ["result": 21])
        #expect(result["steps"]?["tax"]?["output"] == ["result": 2.1])
        #expect(result["steps"]?["broken"]?["status"] == "failed")
        #expect(result["steps"]?["broken"]?["error"]?["code"] == "mcp_tool_error")
        #expect(result["steps"]?["broken"]?["error"]?["message"]?.stringValue?.contains("cannot divide by zero") == true)
        #expect(try processIsGone(pidFile))
    }

    @Test("arguments are checked against the server's schema before the run", .enabled(if: sdkPython != nil, sdkMissing))
    func argumentsValidated() async throws {
        let dir = try TemporaryDirectory()
        let config = try dir.write("mcp.json", JSONValue.object(["mcpServers": ["calc": [
            "command": .string(try #require(sdkPython)), "args": [.string(fixture("Fixtures/mcp/sdk_server.py"))], "timeout_s": 180]]]).serialized())
        let plan = try dir.write("plan.json", #"{"request_id": "r", "steps": [{"id": "s", "tool": "calc/add", "input": {"a": "two"}}]}"#)
        let (status, _, err) = await orchEval(["exec", plan, "--mcp-config", config])
        #expect(status == 2)
        #expect(err.contains("step 's'"), "\(err)")
        #expect(err.contains("input.a"), "\(err)")
        #expect(err.contains("input.b: missing (required)"), "the missing argument is reported too: \(err)")
    }

    @Test("a bare name two servers offer is a validation error naming both")
    func ambiguousName() async throws {
        let dir = try TemporaryDirectory()
        let config = try faultConfig(dir, names: ["one", "two"])
        let plan = try dir.write("plan.json", #"{"request_id": "r", "steps": [{"id": "e", "tool": "echo", "input": {}}]}"#)
        let (status, _, err) = await orchEval(["exec", plan, "--mcp-config", config])
        #expect(status == 2)
        #expect(err.contains("the tool name 'echo' is ambiguous: several MCP servers offer it; name one of 'one/echo', 'two/echo'"), "\(err)")
    }

    @Test("a step timeout cancels the MCP call and the server receives notifications/cancelled; other steps run on")
    func timeoutSendsCancelled() async throws {
        let dir = try TemporaryDirectory()
        let log = dir.url.appendingPathComponent("cancelled.log")
        let config = try faultConfig(dir, names: ["f"], env: ["CANCEL_LOG": log.path])
        let plan = try dir.write("plan.json", """
            {"request_id": "r", "steps": [
              {"id": "stuck", "tool": "f/hang", "input": {}, "timeout_s": 0.3},
              {"id": "fine", "tool": "f/echo", "input": {"ok": true}}
            ]}
            """)
        let (status, out, _) = await orchEval(["exec", plan, "--mcp-config", config, "--json"])
        #expect(status == 1)
        let result = try JSONValue(parsing: out)
        #expect(result["steps"]?["stuck"]?["error"]?["code"] == "timeout")
        #expect(result["steps"]?["fine"]?["output"] == ["ok": true])
        let cancelled = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(cancelled.count == 1, "one notifications/cancelled for the hanging call")
    }

    @Test("Ctrl-C cancels a running MCP call (the server hears notifications/cancelled) and stops the server",
          .enabled(if: FileManager.default.isExecutableFile(atPath: orchEvalBinary.path), "the orch-eval executable is not built next to the tests"))
    func interrupt() async throws {
        let dir = try TemporaryDirectory()
        let log = dir.url.appendingPathComponent("cancelled.log")
        let pidFile = dir.url.appendingPathComponent("pid")
        let fifo = dir.url.appendingPathComponent("hanging")
        try #require(mkfifo(fifo.path, 0o600) == 0)
        let config = try faultConfig(dir, names: ["f"], env: ["CANCEL_LOG": log.path, "PID_FILE": pidFile.path, "HANG_FIFO": fifo.path])
        let plan = try dir.write("plan.json", """
            {"request_id": "r", "steps": [
              {"id": "quick", "tool": "f/echo", "input": {}},
              {"id": "stuck", "tool": "f/hang", "input": {}, "timeout_s": 60, "depends_on": ["quick"]}
            ]}
            """)
        let (status, output) = try await onOwnThread { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = orchEvalBinary
            process.arguments = ["exec", plan, "--mcp-config", config, "--json"]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if process.isRunning { process.terminate() } }
            _ = Thread.detachedRead(err)  // drained, so messages never fill the pipe
            // Blocks until the server has the hanging call and writes to the pipe.
            _ = try FileHandle(forReadingFrom: fifo).readToEnd()
            kill(process.processIdentifier, SIGINT)
            let output = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self))
        }
        #expect(status == 1)
        #expect(try JSONValue(parsing: output)["steps"]?["stuck"]?["status"] == "cancelled")
        #expect(try processIsGone(pidFile))
        #expect(try String(contentsOf: log, encoding: .utf8).split(separator: "\n").count == 1)
    }

    @Test("mcp ls lists each server's tools; a configuration problem exits 2 naming the file")
    func list() async throws {
        let dir = try TemporaryDirectory()
        let config = try faultConfig(dir, names: ["f"])
        let (status, out, _) = await orchEval(["mcp", "ls", "--mcp-config", config, "--json"])
        #expect(status == 0)
        let listing = try JSONValue(parsing: out)
        #expect(listing["servers"]?.arrayValue?.first?["protocol_version"] == "2025-11-25")
        #expect(listing["servers"]?.arrayValue?.first?["tools"]?.arrayValue?.count == 9)
        let bad = try dir.write("bad.json", #"{"mcpServers": {"x": {}}}"#)
        let (badStatus, _, err) = await orchEval(["mcp", "ls"], environment: ["ORCH_MCP_CONFIG": bad])
        #expect(badStatus == 2)
        #expect(err.contains("bad.json: mcpServers.x: needs \"command\""), "\(err)")
    }

    @Test("both SDK clients list and call the receipt workers through `orch-eval mcp serve`, over stdio and HTTP",
          .enabled(if: sdkPython != nil, sdkMissing),
          .enabled(if: FileManager.default.isExecutableFile(atPath: orchEvalBinary.path), "the orch-eval executable is not built next to the tests"),
          arguments: [("session", false), ("stateless", false), ("session", true), ("stateless", true)])
    func sdkClients(_ mode: String, _ http: Bool) async throws {
        var server: Process?
        var target = ["--", orchEvalBinary.path, "mcp", "serve"]
        if http {
            let process = Process()
            process.executableURL = orchEvalBinary
            process.arguments = ["mcp", "serve", "--http", "0"]
            process.environment = ["OCR_MODE": "fixture"]
            let err = Pipe()
            process.standardError = err
            try process.run()
            server = process
            let line = try await readLine(err, containing: "/mcp")
            let url = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") })
            target = ["--url", String(url)]
        }
        defer { if let server { server.interrupt(); server.waitUntilExit() } }
        let (status, out, err) = try await run(try #require(sdkPython),
                                               [fixture("Fixtures/mcp/sdk_client.py"), mode, "Fixtures/receipts/seed-receipt.png"] + target)
        try #require(status == 0, "\(err)")
        let report = try JSONValue(parsing: out)
        #expect(report["protocol_version"] == (mode == "session" ? "2025-11-25" : "2026-07-28"))
        for tool in ["receipt_ocr", "line_item_parser", "expense_categorizer", "compute_tax"] {
            #expect(report["tools"]?[tool]?["has_output_schema"] == true, "\(tool)")
        }
        #expect(report["ocr"]?["text"]?.stringValue?.contains("BLUE DOOR CAFE") == true)
        #expect(report["items"]?.arrayValue?.count == 2)
        #expect(report["categorized"]?.arrayValue?.first?["category"] == "beverage")
        #expect(report["text_matches_structured"] == true)
        #expect(report["bad_input"]?["is_error"] == true)
    }

    private func run(_ executable: String, _ arguments: [String]) async throws -> (Int32, String, String) {
        try await onOwnThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = ["OCR_MODE": "fixture", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            DispatchQueue.global().asyncAfter(deadline: .now() + 240) { if process.isRunning { process.terminate() } }
            let errText = Thread.detachedRead(err)
            let output = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self), errText())
        }
    }

    private func readLine(_ pipe: Pipe, containing marker: String) async throws -> String {
        try await onOwnThread {
            var seen = ""
            while true {
                if let line = seen.split(separator: "\n").first(where: { $0.contains(marker) }) { return String(line) }
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { return seen }
                seen += String(decoding: chunk, as: UTF8.self)
            }
        }
    }
}

extension Thread {
    /// Reads `pipe` to its end on a thread of its own (so a full stderr pipe cannot stall the
    /// process while stdout is read); the returned function waits for and returns the text.
    static func detachedRead(_ pipe: Pipe) -> @Sendable () -> String {
        let done = DispatchSemaphore(value: 0)
        let box = TextBox()
        detachNewThread {
            box.text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            done.signal()
        }
        return { done.wait(); return box.text }
    }
}

private final class TextBox: @unchecked Sendable {
    var text = ""
}
