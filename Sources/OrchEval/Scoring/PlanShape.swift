import Orchestrator
import OrchJSON

/// A plan reduced to what scoring compares: each step's tool label, its input as leaves
/// (path → value, with step references recognised), and its dependency edges.
struct PlanShape {
    struct Step {
        var id: String
        /// The tool, or `function_call:NAME` for a function call, so functions count apart.
        var label: String
        var leaves: [String: Leaf]
        /// Ids of the steps it depends on, explicitly or through a reference.
        var dependencies: Set<String>
    }

    /// One scalar of a step's input; a reference is kept apart from text so it can match
    /// through the alignment.
    enum Leaf: Equatable {
        case value(JSONValue)
        case reference(step: String, path: String)
    }

    var steps: [Step]

    init(_ plan: Plan) {
        let ids = Set(plan.steps.map(\.id))
        steps = plan.steps.map { step in
            var leaves: [String: Leaf] = [:]
            Self.flatten(step.input, path: "", ids: ids, into: &leaves)
            var dependencies = Set(step.dependsOn)
            for case .reference(let target, _) in leaves.values { dependencies.insert(target) }
            let name = step.tool == "function_call" ? step.input["name"]?.stringValue : nil
            return Step(id: step.id, label: name.map { "function_call:\($0)" } ?? step.tool, leaves: leaves, dependencies: dependencies)
        }
    }

    private static func flatten(_ value: JSONValue, path: String, ids: Set<String>, into leaves: inout [String: Leaf]) {
        func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        switch value {
        case .object(let members) where !members.isEmpty:
            for (key, member) in members { flatten(member, path: child(key), ids: ids, into: &leaves) }
        case .array(let elements) where !elements.isEmpty:
            for (index, element) in elements.enumerated() { flatten(element, path: child(String(index)), ids: ids, into: &leaves) }
        case .string(let text):
            if let stepID = Selector.parse(text, stepIDs: ids)?.stepID {
                let rest = Selector.parse(text, stepIDs: ids)!.path.description
                leaves[path] = .reference(step: stepID, path: rest)
            } else {
                leaves[path] = .value(value)
            }
        default:
            leaves[path] = .value(value)
        }
    }
}

extension PlanShape.Leaf {
    /// Whether two leaves agree. References agree when they select the same path and
    /// `sameStep` says their targets correspond (alignment), or always when it is nil.
    func matches(_ other: PlanShape.Leaf, sameStep: ((String, String) -> Bool)?) -> Bool {
        switch (self, other) {
        case (.value(.number(let a)), .value(.number(let b))): return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
        case (.value(let a), .value(let b)): return a == b
        case (.reference(let s1, let p1), .reference(let s2, let p2)): return p1 == p2 && (sameStep?(s1, s2) ?? true)
        default: return false
        }
    }
}
