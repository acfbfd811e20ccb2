import OrchJSON

/// The JSON Schema a planner model's answer must follow, built from the tool catalog:
/// `{"steps": [{"depends_on": [...], "id": "...", "input": {...}, "tool": "..."}]}`.
///
/// The planner adds `request_id` and `final_synthesis` itself, so the model writes only steps.
/// Three choices make small local models plan better (docs/planner.md):
/// - a step is one of several shapes (`anyOf`): one per tool, and for `function_call` one per
///   registered function, each with that tool's (or function's) input fields and required
///   ones. A grammar-constrained model then cannot write a `function_call` without `name`, a
///   function's arguments under another function's name, or `depends_on` inside `input`
///   (the 1.5B did all three with one merged shape, and ignored the repair round's message).
/// - a value that may come from another step accepts a string too, so `"step:parse.subtotal"`
///   stays possible where the tool wants a number (a number-only slot made the 1.5B model
///   invent a literal amount). Lists and objects are written as references.
/// - keys are serialized in sorted order, so grammar-based servers (llama.cpp) generate
///   `depends_on` before `input`, which is what the small planner needs.
public enum PlanSchema {
    /// The answer's schema for `catalog`. Stays within what OpenAI, Anthropic, Ollama,
    /// llama.cpp and Gemini's subset accept: every object lists its properties (Gemini rejects
    /// an OBJECT without them), one type per value (or `anyOf`), one-value `enum`s, no `const`.
    public static func json(for catalog: ToolCatalog) -> JSONValue {
        [
            "type": "object",
            "properties": ["steps": ["type": "array", "minItems": 1, "items": ["anyOf": .array(stepShapes(for: catalog))]]],
            "required": ["steps"],
        ]
    }

    /// One step shape per tool, and per function for `function_call`.
    static func stepShapes(for catalog: ToolCatalog) -> [JSONValue] {
        catalog.descriptors.flatMap { descriptor -> [JSONValue] in
            if let functions = (catalog.tool(named: descriptor.name) as? FunctionCallTool)?.registry, !functions.names.isEmpty {
                return functions.descriptors.map { function in
                    step(tool: descriptor.name, input: [
                        "type": "object",
                        "properties": ["name": ["type": "string", "enum": [.string(function.name)]], "args": fields(function.schema)],
                        "required": ["name", "args"],
                    ])
                }
            }
            return [step(tool: descriptor.name, input: fields(descriptor.inputSchema))]
        }
    }

    static func step(tool: String, input: JSONValue) -> JSONValue {
        [
            "type": "object",
            "properties": [
                "id": ["type": "string"],
                "tool": ["type": "string", "enum": [.string(tool)]],
                "depends_on": ["type": "array", "items": ["type": "string"]],
                "input": input,
            ],
            "required": ["id", "tool", "depends_on", "input"],
        ]
    }

    /// An input object: the schema's properties, each loosened by `slot`, and its required ones.
    /// code_exec's `input_data` is one reference, whose value the code reads as `input`.
    static func fields(_ schema: JSONValue) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for (name, property) in schema["properties"]?.objectValue ?? [:] {
            properties[name] = name == "input_data" ? ["type": "string"] : slot(property)
        }
        var object: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if let required = schema["required"], required.arrayValue?.isEmpty == false { object["required"] = required }
        return .object(object)
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
