import OrchJSON

/// The JSON Schema a planner model's answer must follow, built from the tool catalog:
/// `{"steps": [{"depends_on": [...], "id": "...", "input": {...}, "tool": "..."}]}`.
///
/// The planner adds `request_id` and `final_synthesis` itself, so the model writes only steps.
/// Two choices make small local models plan better (docs/planner.md):
/// - `input` is typed: its properties are those of every tool (and, under `args`, of every
///   registered function), so a grammar-constrained model cannot nest `depends_on` in it.
/// - a value that may come from another step accepts a string too, so `"step:parse.subtotal"`
///   stays possible where the tool wants a number (a number-only slot made the 1.5B model
///   invent a literal amount). Lists and objects are written as references.
///
/// Keys are serialized in sorted order, so grammar-based servers (llama.cpp) generate
/// `depends_on` before `input`, which is what the small planner needs.
public enum PlanSchema {
    /// The answer's schema for `catalog`. Stays within what OpenAI, Anthropic, Ollama,
    /// llama.cpp and Gemini's subset accept: every object lists its properties (Gemini rejects
    /// an OBJECT without them), one type per value (or `anyOf`).
    public static func json(for catalog: ToolCatalog) -> JSONValue {
        let step: JSONValue = [
            "type": "object",
            "properties": [
                "id": ["type": "string"],
                "tool": ["type": "string", "enum": .array(catalog.names.map(JSONValue.string))],
                "depends_on": ["type": "array", "items": ["type": "string"]],
                "input": inputSchema(for: catalog),
            ],
            "required": ["id", "tool", "depends_on", "input"],
        ]
        return [
            "type": "object",
            "properties": ["steps": ["type": "array", "minItems": 1, "items": step]],
            "required": ["steps"],
        ]
    }

    /// The union of the tools' input properties, each loosened by `slot`.
    static func inputSchema(for catalog: ToolCatalog) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for descriptor in catalog.descriptors {
            for (name, schema) in descriptor.inputSchema["properties"]?.objectValue ?? [:] where properties[name] == nil {
                properties[name] = slot(schema)
            }
        }
        if let functions = (catalog.tool(named: "function_call") as? FunctionCallTool)?.registry, !functions.names.isEmpty {
            var arguments: [String: JSONValue] = [:]
            for function in functions.descriptors {
                for (name, schema) in function.schema["properties"]?.objectValue ?? [:] where arguments[name] == nil {
                    arguments[name] = slot(schema)
                }
            }
            properties["name"] = ["type": "string", "enum": .array(functions.names.map(JSONValue.string))]
            properties["args"] = ["type": "object", "properties": .object(arguments)]
        }
        // code_exec's input_data: one reference, whose value the code reads as `input`.
        if properties["input_data"] != nil { properties["input_data"] = ["type": "string"] }
        return ["type": "object", "properties": .object(properties)]
    }

    /// What a model may write for a property of `schema`: a string where the tool takes one,
    /// a number or boolean or a reference string where it takes those, else a reference string.
    static func slot(_ schema: JSONValue) -> JSONValue {
        let types: [String] = schema["type"].map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue].compactMap { $0 } } ?? []
        if types.contains("string") {
            if let choices = schema["enum"] { return ["type": "string", "enum": choices] }
            return ["type": "string"]
        }
        if let scalar = types.first(where: { ["number", "integer", "boolean"].contains($0) }) {
            return ["anyOf": [["type": .string(scalar)], ["type": "string"]]]
        }
        return ["type": "string"]
    }
}
