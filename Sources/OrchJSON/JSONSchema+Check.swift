import Foundation

/// Where a check puts what it finds. A probe only learns whether the value conforms: it stops
/// at the first problem, builds no message and no path, and walks object members unsorted.
/// `JSONSchema.violations` probes first, since arguments nearly always conform, and walks
/// again collecting everything only when the probe fails.
struct SchemaFindings {
    let collectsAll: Bool
    private(set) var violations: [SchemaViolation] = []
    private(set) var failed = false

    init(collectsAll: Bool) { self.collectsAll = collectsAll }

    /// Whether a probe can stop: it has found its problem.
    var settled: Bool { failed && !collectsAll }

    mutating func report(at path: [String], _ message: @autoclosure () -> String) {
        failed = true
        if collectsAll { violations.append(SchemaViolation(path: path.joined(separator: "."), message: message())) }
    }

    mutating func append(contentsOf other: SchemaFindings) {
        failed = failed || other.failed
        violations.append(contentsOf: other.violations)
    }
}

extension SchemaNode {
    /// Finds the ways `value` (found at `path`, a stack the walk pushes member names and
    /// indexes onto) breaks this schema.
    func check(_ value: JSONValue, path: inout [String], into found: inout SchemaFindings) {
        if rejectsAll { return found.report(at: path, "not allowed here, got \(value.summary)") }
        if let types, !types.contains(where: { $0.admits(value) }) {
            // Other keywords would only repeat the mismatch in other words.
            return found.report(at: path, "expected \(listed(types.map(\.rawValue))), got \(value.summary)")
        }
        if let constant = constant?.first, value != constant {
            found.report(at: path, "expected \(constant.serialized()), got \(value.summary)")
        }
        if let allowedValues, !allowedValues.contains(value) {
            let shown = allowedValues.prefix(12).map { $0.serialized() }.joined(separator: ", ")
            found.report(at: path, "expected one of \(shown)\(allowedValues.count > 12 ? ", …" : ""), got \(value.summary)")
        }
        if found.settled { return }
        switch value {
        case .number(let n): checkNumber(n, path: path, into: &found)
        case .string(let s): checkString(s, path: path, into: &found)
        case .array(let elements): checkArray(elements, path: &path, into: &found)
        case .object(let members): checkObject(members, path: &path, into: &found)
        default: break
        }
        for node in allOf where !found.settled { node.check(value, path: &path, into: &found) }
        if !anyOf.isEmpty, !found.settled { checkAlternatives(anyOf, exactlyOne: false, value, path: &path, into: &found) }
        if !oneOf.isEmpty, !found.settled { checkAlternatives(oneOf, exactlyOne: true, value, path: &path, into: &found) }
    }

    private func checkNumber(_ n: Double, path: [String], into found: inout SchemaFindings) {
        for bound in lowerBounds where bound.exclusive ? !(n > bound.limit) : !(n >= bound.limit) {
            found.report(at: path, "expected \(bound.exclusive ? ">" : ">=") \(JSONValue.number(bound.limit).serialized()), got \(JSONValue.number(n).serialized())")
        }
        for bound in upperBounds where bound.exclusive ? !(n < bound.limit) : !(n <= bound.limit) {
            found.report(at: path, "expected \(bound.exclusive ? "<" : "<=") \(JSONValue.number(bound.limit).serialized()), got \(JSONValue.number(n).serialized())")
        }
    }

    private func checkString(_ s: String, path: [String], into found: inout SchemaFindings) {
        if minLength != nil || maxLength != nil {
            // JSON Schema counts code points, not grapheme clusters.
            let length = s.unicodeScalars.count
            if let minLength, length < minLength { found.report(at: path, "expected at least \(minLength) characters, got \(length)") }
            if let maxLength, length > maxLength { found.report(at: path, "expected at most \(maxLength) characters, got \(length)") }
        }
        if let pattern, pattern.regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) == nil {
            found.report(at: path, "expected a string matching /\(pattern.source)/, got \(JSONValue.string(s).summary)")
        }
    }

    private func checkArray(_ elements: [JSONValue], path: inout [String], into found: inout SchemaFindings) {
        if let minItems, elements.count < minItems {
            found.report(at: path, "expected at least \(minItems) item\(minItems == 1 ? "" : "s"), got \(elements.count)")
        }
        if let maxItems, elements.count > maxItems {
            found.report(at: path, "expected at most \(maxItems) item\(maxItems == 1 ? "" : "s"), got \(elements.count)")
        }
        guard let items else { return }
        for (i, element) in elements.enumerated() where !found.settled {
            path.append(String(i))
            items.node.check(element, path: &path, into: &found)
            path.removeLast()
        }
    }

    private func checkObject(_ members: [String: JSONValue], path: inout [String], into found: inout SchemaFindings) {
        for name in required where members[name] == nil {
            path.append(name)
            found.report(at: path, "missing (required)")
            path.removeLast()
        }
        if properties.isEmpty, case .allowed = additional { return }
        func check(_ name: String, _ member: JSONValue) {
            path.append(name)
            defer { path.removeLast() }
            if let property = properties[name] { return property.node.check(member, path: &path, into: &found) }
            switch additional {
            case .allowed:
                break
            case .forbidden:
                found.report(at: path, "not allowed (known: \(properties.isEmpty ? "none" : properties.keys.sorted().joined(separator: ", ")))")
            case .schema(let box):
                box.node.check(member, path: &path, into: &found)
            }
        }
        if found.collectsAll {
            for (name, member) in members.sorted(by: { $0.key < $1.key }) { check(name, member) }  // document order
        } else {
            for (name, member) in members where !found.settled { check(name, member) }
        }
    }

    /// `anyOf` / `oneOf`. When no alternative fits, the report is the one a reader can act on:
    /// the problems of the only alternative of the value's type, or the list of allowed types.
    private func checkAlternatives(
        _ alternatives: [SchemaNode], exactlyOne: Bool, _ value: JSONValue, path: inout [String], into found: inout SchemaFindings
    ) {
        let results = alternatives.map { node in
            var problems = SchemaFindings(collectsAll: found.collectsAll)
            node.check(value, path: &path, into: &problems)
            return problems
        }
        let matching = results.indices.filter { !results[$0].failed }
        if matching.count == 1 || (!exactlyOne && !matching.isEmpty) { return }
        if matching.count > 1 {
            let which = matching.map(String.init).joined(separator: ", ")
            return found.report(at: path, "matches \(matching.count) alternatives (\(which)) but must match exactly one")
        }
        let candidates = alternatives.indices.filter { alternatives[$0].admitsType(of: value) }
        if candidates.count == 1 {
            found.append(contentsOf: results[candidates[0]])
        } else if candidates.isEmpty, alternatives.allSatisfy({ $0.types != nil }) {
            var names: [String] = []
            for type in alternatives.flatMap({ $0.types ?? [] }) where !names.contains(type.rawValue) { names.append(type.rawValue) }
            found.report(at: path, "expected \(listed(names)), got \(value.summary)")
        } else {
            let reasons = results.enumerated().map { i, problems in "(\(i)) \(problems.violations.first?.description ?? "no match")" }
            found.report(at: path, "matches none of the alternatives: \(reasons.joined(separator: "; "))")
        }
    }
}

/// `"number"`, `"string or null"`, `"array, object or null"`.
private func listed(_ names: [String]) -> String {
    guard let last = names.last, names.count > 1 else { return names.first ?? "" }
    return names.dropLast().joined(separator: ", ") + " or " + last
}

extension JSONValue {
    /// The value as an error message shows it: its type and, for scalars, the value itself
    /// (`string "abc"`, `integer 3`, `object with keys [a, b]`).
    public var summary: String {
        switch self {
        case .null:
            return "null"
        case .bool(let b):
            return "boolean \(b)"
        case .number:
            return "\(typeName) \(serialized())"
        case .string(let s):
            let shown = s.unicodeScalars.count > 60 ? String(String.UnicodeScalarView(s.unicodeScalars.prefix(60))) + "…" : s
            return "string \(JSONValue.string(shown).serialized())"
        case .array(let elements):
            return elements.isEmpty ? "an empty array" : "array of \(elements.count) item\(elements.count == 1 ? "" : "s")"
        case .object(let members):
            guard !members.isEmpty else { return "an empty object" }
            let keys = members.keys.sorted()
            return "object with keys [\(keys.prefix(8).joined(separator: ", "))\(keys.count > 8 ? ", …" : "")]"
        }
    }
}
