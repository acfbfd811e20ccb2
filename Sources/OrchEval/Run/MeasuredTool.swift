import Cassettes
import Orchestrator
import OrchJSON

/// Wraps a step tool so its step records the recorded latency replayed inside it: the
/// output's metadata gets `virtual_ms`, the sum of the exchanges the call replayed through a
/// virtual-clock cassette (0 for a tool that makes none, like the rules workers).
public struct MeasuredTool: StepTool {
    public static let metadataKey = "virtual_ms"
    let inner: any StepTool

    public init(_ inner: any StepTool) { self.inner = inner }

    public var descriptor: ToolDescriptor { inner.descriptor }

    public func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        var (output, ms) = try await VirtualClock.measure { try await inner.call(input, context: context) }
        output.metadata[Self.metadataKey] = .number(ms)
        return output
    }

    /// `catalog` with every tool measured.
    public static func measuring(_ catalog: ToolCatalog) -> ToolCatalog {
        ToolCatalog(catalog.names.compactMap(catalog.tool(named:)).map { MeasuredTool($0) })
    }
}
