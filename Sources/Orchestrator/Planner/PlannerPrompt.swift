import OrchJSON

/// The planner's prompt: a short system text (the plan format, the reference rule and one line
/// per tool), the user's request, and, for a repair round, the validator's problems.
///
/// Short on purpose: the local 1.5B planner spends about 20 ms per prompt token here, so
/// every tool is one line (`ToolDescriptor.shortDescription`) with its input fields, and the
/// functions of `function_call` one line each. The full schemas travel as the answer's
/// schema (`PlanSchema`), which constrains the output without lengthening the prompt.
///
/// One short example plan (`example`) follows the tools: without it the local 1.5B planner
/// stopped after `receipt_ocr` for item questions and put unknown fields into `function_call`
/// inputs (docs/planner.md, "Live recordings"). Its keys are in the order a grammar-constrained
/// server generates them (sorted, as `PlanSchema` is serialized).
public struct PlannerPrompt: Sendable, Equatable {
    public var system: String
    public var request: String

    public init(catalog: ToolCatalog, request: String) {
        var lines = [
            "You turn a request into a plan: JSON {\"steps\": [...]}, nothing else.",
            "A step is {\"id\", \"tool\", \"depends_on\": [ids], \"input\": {...}}; ids are short, unique, without spaces.",
            "To pass a step's output on, write \"step:ID\" or \"step:ID.field\" as an input value and put ID in depends_on.",
            "Use only these tools and their input fields:",
        ]
        for tool in catalog.descriptors {
            lines.append("- \(tool.name)(\(Self.fields(tool.inputSchema))): \(tool.shortDescription)")
            if let functions = (catalog.tool(named: tool.name) as? FunctionCallTool)?.registry {
                for function in functions.descriptors {
                    lines.append("  - \(function.name)(\(Self.fields(function.schema))): \(function.description)")
                }
            }
        }
        lines.append(Self.example)
        system = lines.joined(separator: "\n")
        self.request = request
    }

    /// A three-step chain that shows a reference to a field, a function call and its `args`.
    static let example = #"Example: "Sum the items of receipt r.png" -> {"steps": [{"depends_on": [], "id": "ocr", "input": {"image_uri": "r.png"}, "tool": "receipt_ocr"}, {"depends_on": ["ocr"], "id": "parse", "input": {"text": "step:ocr.text"}, "tool": "line_item_parser"}, {"depends_on": ["parse"], "id": "sum", "input": {"args": {"items": "step:parse.items"}, "name": "merge_items"}, "tool": "function_call"}]}"#

    /// The message of a repair round: the validator's problems and what to do.
    public static func repairMessage(_ problems: [PlanProblem]) -> String {
        "The plan has problems:\n" + problems.map { "- \($0)" }.joined(separator: "\n")
            + "\nAnswer with the whole corrected plan as JSON."
    }

    /// `image_uri` / `amount, tax_rate?`: required fields first, optional ones marked `?`.
    static func fields(_ schema: JSONValue) -> String {
        let names = (schema["properties"]?.objectValue ?? [:]).keys.sorted()
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        return (names.filter(required.contains) + names.filter { !required.contains($0) }.map { $0 + "?" })
            .joined(separator: ", ")
    }
}
