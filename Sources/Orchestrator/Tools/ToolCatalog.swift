/// The tools a plan may name, by name. The validator rejects steps whose tool is not here;
/// the engine dispatches each step to its tool.
public struct ToolCatalog: Sendable {
    private var tools: [String: any StepTool] = [:]

    public init(_ tools: [any StepTool] = []) {
        for tool in tools { add(tool) }
    }

    /// Adds `tool`, replacing any tool of the same name.
    public mutating func add(_ tool: any StepTool) {
        tools[tool.descriptor.name] = tool
    }

    public func tool(named name: String) -> (any StepTool)? { tools[name] }

    public var names: [String] { tools.keys.sorted() }

    public var descriptors: [ToolDescriptor] { names.compactMap { tools[$0]?.descriptor } }
}
