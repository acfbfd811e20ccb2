/// The tools a plan may name, by name. The validator rejects steps whose tool is not here;
/// the engine dispatches each step to its tool.
///
/// A tool may also answer to a short alias (an MCP tool `SERVER/TOOL` to `TOOL`) as long as
/// exactly one tool claims it and no tool has it as its name; an alias two tools claim is
/// ambiguous, and `ambiguity(of:)` names the candidates.
public struct ToolCatalog: Sendable {
    private var tools: [String: any StepTool] = [:]
    private var aliases: [String: [String]] = [:]

    public init(_ tools: [any StepTool] = []) {
        for tool in tools { add(tool) }
    }

    /// Adds `tool`, replacing any tool of the same name.
    public mutating func add(_ tool: any StepTool) {
        tools[tool.descriptor.name] = tool
    }

    /// Adds `tool` under its name and under `alias`.
    public mutating func add(_ tool: any StepTool, alias: String) {
        add(tool)
        if !aliases[alias, default: []].contains(tool.descriptor.name) { aliases[alias, default: []].append(tool.descriptor.name) }
    }

    public func tool(named name: String) -> (any StepTool)? {
        if let tool = tools[name] { return tool }
        guard let targets = aliases[name], targets.count == 1 else { return nil }
        return tools[targets[0]]
    }

    /// The full names of the tools an ambiguous alias could mean, or nil when it is not ambiguous.
    public func ambiguity(of name: String) -> [String]? {
        guard tools[name] == nil, let targets = aliases[name], targets.count > 1 else { return nil }
        return targets.sorted()
    }

    public var names: [String] { tools.keys.sorted() }

    public var descriptors: [ToolDescriptor] { names.compactMap { tools[$0]?.descriptor } }
}
