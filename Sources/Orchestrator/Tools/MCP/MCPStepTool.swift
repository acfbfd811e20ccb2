import MCP
import OrchJSON

/// A tool of a configured MCP server as a step tool, named `SERVER/TOOL`. The step's input is
/// the tool's arguments; its output is the result's `structuredContent`, else its content (a
/// text item read as JSON when it is JSON). A result with `isError` fails the step with the
/// server's text; a broken connection fails it with `mcp_server_failed` (retryable: the next
/// call starts the server again).
public struct MCPStepTool: StepTool {
    public let descriptor: ToolDescriptor
    public let server: MCPServerConnection
    public let tool: MCPToolInfo

    public init(server: MCPServerConnection, serverName: String, tool: MCPToolInfo) {
        self.server = server
        self.tool = tool
        var description = tool.description
        if let title = tool.title, !description.hasPrefix(title) { description = description.isEmpty ? title : "\(title): \(description)" }
        self.descriptor = ToolDescriptor(name: "\(serverName)/\(tool.name)", kind: .mcp, description: description, inputSchema: tool.inputSchema)
    }

    public func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        let result: MCPToolResult
        do {
            result = try await server.callTool(tool.name, arguments: input)
        } catch let error as MCPError {
            let code = error.kind == .rpc ? "mcp_error" : error.kind == .unsupportedVersion ? "mcp_unsupported_version" : "mcp_server_failed"
            throw ToolError(code: code, message: "Step '\(context.stepID)': \(descriptor.name): \(error.message)",
                            details: error.rpcCode.map { ["rpc_code": .number(Double($0))] },
                            retryable: error.kind == .connectionLost || error.kind == .timeout)
        }
        let metadata: [String: JSONValue] = ["mcp_server": .string(server.name), "mcp_tool": .string(tool.name)]
        if result.isError {
            let text = result.text.isEmpty ? "(the server gave no text)" : result.text
            throw ToolError(code: "mcp_tool_error", message: "Step '\(context.stepID)': MCP tool \(descriptor.name) failed: \(text)")
        }
        return ToolOutput(result.value, metadata: metadata)
    }
}
