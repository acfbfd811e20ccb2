import OrchJSON
import Providers

/// The catalog in each provider's tool format (the seed's `ToolCatalog.to_openai_format` and
/// siblings), for a model that should call the tools itself. The tool's kind leads its
/// description (`[mcp] Reads a local receipt image …`), since no format has a field for it.
extension ToolCatalog {
    /// OpenAI Chat Completions `tools` (also Azure OpenAI, Ollama and llama.cpp):
    /// `[{"type": "function", "function": {"name", "description", "parameters"}}]`.
    public func openAITools() -> JSONValue {
        .array(descriptors.map { tool in
            ["type": "function",
             "function": ["name": .string(tool.name), "description": .string(tool.taggedDescription), "parameters": tool.inputSchema]]
        })
    }

    /// Anthropic Messages `tools`: `[{"name", "description", "input_schema"}]`.
    public func anthropicTools() -> JSONValue {
        .array(descriptors.map { tool in
            ["name": .string(tool.name), "description": .string(tool.taggedDescription), "input_schema": tool.inputSchema]
        })
    }

    /// Gemini `tools`: one `{"functionDeclarations": [...]}` whose `parameters` are in
    /// Gemini's schema subset (`GeminiSchema`).
    public func geminiTools() -> JSONValue {
        let declarations: [JSONValue] = descriptors.map { tool in
            ["name": .string(tool.name), "description": .string(tool.taggedDescription),
             "parameters": GeminiSchema.convert(tool.inputSchema)]
        }
        return [["functionDeclarations": .array(declarations)]]
    }

    /// The tools the seed's `available_tools` names, in that order; unknown names are left out.
    public func restricted(to names: [String]) -> ToolCatalog {
        ToolCatalog(names.compactMap { tool(named: $0) })
    }
}

extension ToolDescriptor {
    var taggedDescription: String { "[\(kind.rawValue)] \(description)" }
}
