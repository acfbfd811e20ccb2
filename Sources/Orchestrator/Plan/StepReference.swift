import OrchJSON

/// A pointer from one step's input to another step's output: `step:ID` (the whole output) or
/// `step:ID.field.0.sub` (a value inside it).
public struct StepReference: Sendable, Hashable, CustomStringConvertible {
    public var stepID: String
    public var path: JSONPath

    public init(stepID: String, path: JSONPath = JSONPath(segments: [])) {
        self.stepID = stepID
        self.path = path
    }

    public var description: String { path.segments.isEmpty ? "step:\(stepID)" : "step:\(stepID).\(path)" }

    static let prefix = "step:"

    /// Whether `string` is written like a reference: `step:` followed by text without spaces.
    /// Such a string must name a step of the plan, or validation reports it.
    static func looksLikeReference(_ string: String) -> Bool {
        string.hasPrefix(prefix) && string.utf8.count > prefix.utf8.count && !string.containsWhitespace
    }

    /// Parses a reference string against the plan's step ids. Ids may contain dots, so the
    /// longest id that matches wins: with steps `a` and `a.b`, `step:a.b.c` is `.c` of `a.b`.
    static func parse(_ string: String, stepIDs: Set<String>) -> StepReference? {
        guard looksLikeReference(string) else { return nil }
        let body = string.dropFirst(prefix.count)
        var end = body.endIndex
        while true {
            let candidate = String(body[..<end])
            if stepIDs.contains(candidate) {
                let rest = body[end...].dropFirst()
                return StepReference(stepID: candidate, path: JSONPath(rest.isEmpty ? "" : String(rest)))
            }
            guard let dot = body[..<end].lastIndex(of: ".") else { return nil }
            end = dot
        }
    }
}

/// Where a reference sits inside a step's input (`args.amount`), what it points at, and the
/// index of the step it points at.
struct LocatedReference: Sendable, Equatable {
    var location: JSONPath
    var reference: StepReference
    var source: Int
}

extension JSONValue {
    /// Every string in this value that looks like a reference, with its location (object
    /// members in sorted key order).
    func referenceStrings() -> [(location: JSONPath, text: String)] {
        var found: [(location: JSONPath, text: String)] = []
        var location: [String] = []
        collectReferenceStrings(into: &found, location: &location)
        return found
    }

    /// One shared path stack and result array for the whole walk: building a new array per
    /// node was a sixth of validating a plan.
    private func collectReferenceStrings(into found: inout [(location: JSONPath, text: String)], location: inout [String]) {
        switch self {
        case .string(let s):
            if StepReference.looksLikeReference(s) { found.append((JSONPath(segments: location), s)) }
        case .array(let elements):
            for (offset, element) in elements.enumerated() {
                location.append(String(offset))
                element.collectReferenceStrings(into: &found, location: &location)
                location.removeLast()
            }
        case .object(let members):
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                location.append(key)
                member.collectReferenceStrings(into: &found, location: &location)
                location.removeLast()
            }
        default:
            break
        }
    }
}
