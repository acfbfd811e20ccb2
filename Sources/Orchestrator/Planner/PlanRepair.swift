import Foundation
import OrchJSON

/// Mechanical fixes to a model's plan before validation, each reported as a note: the slips
/// small models make that have exactly one reading (docs/planner.md).
///
/// - the steps given bare (`[...]`) or wrapped (`{"plan": {...}}`);
/// - `request_id` and `final_synthesis` missing (the planner supplies them);
/// - ids written as references (`"id": "step:ocr"`, seen from the local 1.5B): the prefix goes,
///   in ids and in `depends_on`;
/// - `depends_on` written inside `input`;
/// - a `function_call` step without `name` whose id names a registered function, its
///   arguments written beside it (`{"items": …}`): `name` is the id, the rest goes in `args`;
/// - references written `{{ID.field}}`, `${ID.field}`, `$ID.field` or `steps.ID.field`, or as
///   a bare `ID.field` naming a step the step depends on: rewritten `step:ID.field`;
/// - a number written as a string (`"0.08"`, `"8%"`) where the tool's schema wants a number;
/// - a reference into a `function_call` step's output that skips its `result` wrapper
///   (`step:discount.final` for `step:discount.result.final`: the 1.5B wrote it in 3 of 12
///   live plans, reading the function's description): the output of `function_call` is
///   always `{"result": …}`, so `result` is the only field such a path can start with.
///
/// Anything else (unknown tools, dangling ids, duplicate ids) is left for `PlanValidator` and
/// the repair round.
public struct PlanRepair: Sendable {
    public var catalog: ToolCatalog
    public var requestID: String
    public var synthesis: JSONValue

    public init(catalog: ToolCatalog, requestID: String,
                synthesis: JSONValue = ["prompt_template": "Results of {{request_id}}:\n\n{{steps}}"]) {
        self.catalog = catalog
        self.requestID = requestID
        self.synthesis = synthesis
    }

    /// The repaired plan JSON and one note per fix.
    public func repair(_ answer: JSONValue) -> (plan: JSONValue, notes: [String]) {
        var notes: [String] = []
        var root: [String: JSONValue]
        switch answer {
        case .array:
            root = ["steps": answer]
            notes.append("the answer was a bare list of steps; wrapped it as {\"steps\": …}")
        case .object(let object) where object["steps"] == nil && object["plan"]?["steps"] != nil:
            root = object["plan"]?.objectValue ?? [:]
            notes.append("the plan was wrapped in {\"plan\": …}; unwrapped it")
        case .object(let object):
            root = object
        default:
            return (answer, notes)
        }
        if root["request_id"]?.stringValue == nil { root["request_id"] = .string(requestID) }
        if root["final_synthesis"] == nil { root["final_synthesis"] = synthesis }
        guard var steps = root["steps"]?.arrayValue else { return (.object(root), notes) }
        steps = steps.map { unprefixIDs($0, notes: &notes) }
        let ids = Set(steps.compactMap { $0["id"]?.stringValue })
        let functionSteps = Set(steps.filter { $0["tool"]?.stringValue == "function_call" }.compactMap { $0["id"]?.stringValue })
        root["steps"] = .array(steps.map { repairStep($0, ids: ids, functionSteps: functionSteps, notes: &notes) })
        return (.object(root), notes)
    }

    /// `"step:ocr"` as an id or in `depends_on` → `"ocr"`.
    private func unprefixIDs(_ json: JSONValue, notes: inout [String]) -> JSONValue {
        guard var step = json.objectValue else { return json }
        func strip(_ value: JSONValue) -> JSONValue {
            guard let text = value.stringValue, text.hasPrefix(StepReference.prefix), text.count > StepReference.prefix.count else { return value }
            return .string(String(text.dropFirst(StepReference.prefix.count)))
        }
        if let id = step["id"], strip(id) != id {
            step["id"] = strip(id)
            notes.append("step '\(strip(id).stringValue ?? "")': the id was written '\(id.stringValue ?? "")'; dropped the 'step:' prefix")
        }
        if let dependencies = step["depends_on"]?.arrayValue { step["depends_on"] = .array(dependencies.map(strip)) }
        return .object(step)
    }

    /// A `function_call` step whose id names the function and whose input holds its arguments.
    private func functionCallShape(_ input: JSONValue, id: String, notes: inout [String]) -> JSONValue {
        guard var object = input.objectValue, object["name"] == nil,
              let registry = (catalog.tool(named: "function_call") as? FunctionCallTool)?.registry, registry.descriptor(for: id) != nil
        else { return input }
        var arguments = object["args"]?.objectValue ?? [:]
        for (key, value) in object where key != "args" { arguments[key] = value }
        object = ["name": .string(id), "args": .object(arguments)]
        notes.append("step '\(id)': function_call without 'name': called the function the id names, with the input's other fields as args")
        return .object(object)
    }

    private func repairStep(_ json: JSONValue, ids: Set<String>, functionSteps: Set<String>, notes: inout [String]) -> JSONValue {
        guard var step = json.objectValue else { return json }
        let id = step["id"]?.stringValue ?? "?"
        if step["tool"]?.stringValue == "function_call", let input = step["input"] {
            step["input"] = functionCallShape(input, id: id, notes: &notes)
        }
        if var input = step["input"]?.objectValue, let nested = input.removeValue(forKey: "depends_on") {
            if step["depends_on"]?.arrayValue?.isEmpty ?? true { step["depends_on"] = nested }
            step["input"] = .object(input)
            notes.append("step '\(id)': moved depends_on out of input")
        }
        let dependsOn = Set(step["depends_on"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        guard let input = step["input"] else { return .object(step) }
        var repaired = input.mapStrings { path, text in
            var fixed = text
            if let reference = Self.reference(text, ids: ids, dependsOn: dependsOn) {
                notes.append("step '\(id)': input.\(path): read '\(text)' as the reference '\(reference)'")
                fixed = reference
            }
            if let wrapped = Self.throughResult(fixed, ids: ids, functionSteps: functionSteps) {
                notes.append("step '\(id)': input.\(path): '\(fixed)' reads a function_call's output, which is {\"result\": …}; made it '\(wrapped)'")
                fixed = wrapped
            }
            return fixed
        }
        if let tool = step["tool"]?.stringValue, let schema = catalog.tool(named: tool)?.descriptor.inputSchema {
            repaired = Self.numbers(in: repaired, schema: schema, at: "input", step: id, notes: &notes)
            if tool == "function_call", let name = repaired["name"]?.stringValue, let args = repaired["args"],
               let function = (catalog.tool(named: tool) as? FunctionCallTool)?.registry.descriptor(for: name) {
                repaired = repaired.merging(["args": Self.numbers(in: args, schema: function.schema, at: "input.args", step: id, notes: &notes)])
            }
        }
        step["input"] = repaired
        return .object(step)
    }

    /// `text` rewritten as `step:ID…` when it is a reference in another notation; nil otherwise.
    static func reference(_ text: String, ids: Set<String>, dependsOn: Set<String>) -> String? {
        guard !text.hasPrefix(StepReference.prefix), !text.contains(where: \.isWhitespace) else { return nil }
        var body = Substring(text)
        var marked = false
        if body.hasPrefix("{{"), body.hasSuffix("}}") { body = body.dropFirst(2).dropLast(2); marked = true }
        if body.hasPrefix("${"), body.hasSuffix("}") { body = body.dropFirst(2).dropLast(); marked = true }
        if body.hasPrefix("$") { body = body.dropFirst(); marked = true }
        for prefix in ["steps.", "step."] where body.hasPrefix(prefix) {
            body = body.dropFirst(prefix.count)
            marked = true
        }
        let candidate = StepReference.prefix + body
        guard let reference = StepReference.parse(candidate, stepIDs: ids) else { return nil }
        return marked || dependsOn.contains(reference.stepID) ? candidate : nil
    }

    /// `step:F.x…` → `step:F.result.x…` when F is a `function_call` step; nil otherwise.
    static func throughResult(_ text: String, ids: Set<String>, functionSteps: Set<String>) -> String? {
        guard let reference = StepReference.parse(text, stepIDs: ids), functionSteps.contains(reference.stepID),
              let first = reference.path.segments.first, first != "result" else { return nil }
        return StepReference(stepID: reference.stepID, path: JSONPath(segments: ["result"] + reference.path.segments)).description
    }

    /// `value` with numeric strings turned into numbers where `schema` wants a number.
    static func numbers(in value: JSONValue, schema: JSONValue, at place: String, step: String, notes: inout [String]) -> JSONValue {
        guard var object = value.objectValue, let properties = schema["properties"]?.objectValue else { return value }
        for (name, property) in properties {
            guard let text = object[name]?.stringValue, !StepReference.looksLikeReference(text) else { continue }
            let types = property["type"].map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue].compactMap { $0 } } ?? []
            guard types.contains("number") || types.contains("integer"), !types.contains("string") else { continue }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let percent = trimmed.hasSuffix("%")
            guard let number = Double(percent ? String(trimmed.dropLast()) : trimmed), number.isFinite else { continue }
            object[name] = .number(percent ? number / 100 : number)
            notes.append("step '\(step)': \(place).\(name): read the string '\(text)' as the number \(JSONValue.number(percent ? number / 100 : number))")
        }
        return .object(object)
    }
}

extension JSONValue {
    /// This value with every string replaced by `transform(path, string)`.
    func mapStrings(at path: [String] = [], _ transform: (JSONPath, String) -> String) -> JSONValue {
        switch self {
        case .string(let text): .string(transform(JSONPath(segments: path), text))
        case .array(let elements): .array(elements.enumerated().map { $0.element.mapStrings(at: path + [String($0.offset)], transform) })
        case .object(let members): .object(Dictionary(uniqueKeysWithValues: members.sorted { $0.key < $1.key }.map {
            ($0.key, $0.value.mapStrings(at: path + [$0.key], transform))
        }))
        default: self
        }
    }
}
