import Foundation
import MCP
import OrchJSON

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The Python that has the official MCP SDK: `$ORCH_MCP_PYTHON`, else `.venv-mcp/bin/python`
/// (which `.ci/run` creates); nil when neither has `mcp` installed.
let sdkPython: String? = {
    let candidate = ProcessInfo.processInfo.environment["ORCH_MCP_PYTHON"] ?? packageRoot.appendingPathComponent(".venv-mcp/bin/python").path
    return FileManager.default.isExecutableFile(atPath: candidate)
        && FileManager.default.fileExists(atPath: URL(fileURLWithPath: candidate).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("lib").path)
        ? candidate : nil
}()
let sdkMissing = "the Python MCP SDK is not installed: run .ci/run, or set ORCH_MCP_PYTHON to a python with `pip install mcp`"

func fixture(_ name: String) -> String { packageRoot.appendingPathComponent("Fixtures/mcp/\(name)").path }

/// A stdio launch of `Fixtures/mcp/fault_server.py` with `arguments`.
func faultServer(_ arguments: String...) -> StdioLaunch {
    StdioLaunch(command: "python3", arguments: [fixture("fault_server.py")] + arguments)
}

/// Answers what arrives on `end` with `core`, the way a server process would.
func serve(_ core: MCPServerCore, on end: InMemoryTransport) {
    Task {
        for try await message in try await end.open() {
            if let answer = await core.answer(message) { try await end.send(answer, protocolVersion: nil) }
        }
    }
}

/// A provider with one `add` tool.
struct Adder: MCPToolProvider {
    let tools = [MCPToolInfo(name: "add", description: "Adds", inputSchema: ["type": "object", "required": ["a", "b"]],
                             outputSchema: ["type": "object"])]
    func call(_ name: String, arguments: JSONValue) async -> MCPToolResult? {
        guard name == "add" else { return nil }
        let sum = (arguments["a"]?.doubleValue ?? 0) + (arguments["b"]?.doubleValue ?? 0)
        return MCPToolResult(content: [["type": "text", "text": .string("\(sum)")]], structuredContent: ["sum": .number(sum)])
    }
}

/// Reads a process's stderr until a line contains `marker` (a server saying it listens).
func waitForLine(_ pipe: Pipe, containing marker: String) -> Bool {
    var seen = ""
    while !seen.contains(marker) {
        let chunk = pipe.fileHandleForReading.availableData
        if chunk.isEmpty { return false }
        seen += String(decoding: chunk, as: UTF8.self)
    }
    return true
}

/// A free TCP port on 127.0.0.1 (the kernel picks it; it stays free until a server takes it).
func freePort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return UInt16(bigEndian: address.sin_port)
}
