import Foundation

extension SchemaNode {
    /// Appends every way `value` (found at `path`) breaks this schema.
    func check(_ value: JSONValue, path: [String], into found: inout [SchemaViolation]) {
        func report(_ message: String) { found.append(SchemaViolation(path: path.joined(separator: "."), message: message)) }

        if rejectsAll { return report("not allowed here, got \(value.summary)") }
        if let types, !types.contains(where: { $0.admits(value) }) {
            // Other keywords would only repeat the mismatch in other words.
            return report("expected \(listed(types.map(\.rawValue))), got \(value.summary)")
        }
        if let constant = constant?.first, value != constant {
            report("expected \(constant.serialized()), got \(value.summary)")
        }
        if let allowedValues, !allowedValues.contains(value) {
            let shown = allowedValues.prefix(12).map { $0.serialized() }.joined(separator: ", ")
            report("expected one of \(shown)\(allowedValues.count > 12 ? ", …" : ""), got \(value.summary)")
        }
        switch value {
        case .number(let n): checkNumber(n, report: report)
        case .string(let s): checkString(s, report: report)
        case .array(let elements): checkArray(elements, path: path, into: &found)
        case .object(let members): checkObject(members, path: path, into: &found)
        default: break
        }
        for node in allOf { node.check(value, path: path, into: &found) }
        if !anyOf.isEmpty { checkAlternatives(anyOf, exactlyOne: false, value, path: path, into: &found) }
        if !oneOf.isEmpty { checkAlternatives(oneOf, exactlyOne: true, value, path: path, into: &found) }
    }

    private func checkNumber(_ n: Double, report: (String) -> Void) {
        for bound in lowerBounds where bound.exclusive ? !(n > bound.limit) : !(n >= bound.limit) {
            report("expected \(bound.exclusive ? ">" : ">=") \(JSONValue.number(bound.limit).serialized()), got \(JSONValue.number(n).serialized())")
        }
        for bound in upperBounds where bound.exclusive ? !(n < bound.limit) : !(n <= bound.limit) {
            report("expected \(bound.exclusive ? "<" : "<=") \(JSONValue.number(bound.limit).serialized()), got \(JSONValue.number(n).serialized())")
        }
    }

    private func checkString(_ s: String, report: (String) -> Void) {
        // JSON Schema counts code points, not grapheme clusters.
        let length = s.unicodeScalars.count
        if let minLength, length < minLength { report("expected at least \(minLength) characters, got \(length)") }
        if let maxLength, length > maxLength { report("expected at most \(maxLength) characters, got \(length)") }
        if let pattern, pattern.regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) == nil {
            report("expected a string matching /\(pattern.source)/, got \(JSONValue.string(s).summary)")
        }
    }

    private func checkArray(_ elements: [JSONValue], path: [String], into found: inout [SchemaViolation]) {
        let here = path.joined(separator: ".")
        if let minItems, elements.count < minItems {
            found.append(.init(path: here, message: "expected at least \(minItems) item\(minItems == 1 ? "" : "s"), got \(elements.count)"))
        }
        if let maxItems, elements.count > maxItems {
            found.append(.init(path: here, message: "expected at most \(maxItems) item\(maxItems == 1 ? "" : "s"), got \(elements.count)"))
        }
        if let items {
            for (i, element) in elements.enumerated() {
                items.node.check(element, path: path + [String(i)], into: &found)
            }
        }
    }

    private func checkObject(_ members: [String: JSONValue], path: [String], into found: inout [SchemaViolation]) {
        for name in required where members[name] == nil {
            found.append(.init(path: (path + [name]).joined(separator: "."), message: "missing (required)"))
        }
        if properties.isEmpty, case .allowed = additional { return }
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            if let property = properties[name] {
                property.check(member, path: path + [name], into: &found)
                continue
            }
            switch additional {
            case .allowed:
                break
            case .forbidden:
                let known = properties.keys.sorted().joined(separator: ", ")
                found.append(.init(path: (path + [name]).joined(separator: "."), message: "not allowed (known: \(known.isEmpty ? "none" : known))"))
            case .schema(let box):
                box.node.check(member, path: path + [name], into: &found)
            }
        }
    }

    /// `anyOf` / `oneOf`. When no alternative fits, the report is the one a reader can act on:
    /// the problems of the only alternative of the value's type, or the list of allowed types.
    private func checkAlternatives(
        _ alternatives: [SchemaNode], exactlyOne: Bool, _ value: JSONValue, path: [String], into found: inout [SchemaViolation]
    ) {
        let results = alternatives.map { node in
            var problems: [SchemaViolation] = []
            node.check(value, path: path, into: &problems)
            return problems
        }
        let matching = results.indices.filter { results[$0].isEmpty }
        let here = path.joined(separator: ".")
        if matching.count == 1 || (!exactlyOne && !matching.isEmpty) { return }
        if matching.count > 1 {
            let which = matching.map(String.init).joined(separator: ", ")
            found.append(.init(path: here, message: "matches \(matching.count) alternatives (\(which)) but must match exactly one"))
            return
        }
        let candidates = alternatives.indices.filter { alternatives[$0].admitsType(of: value) }
        if candidates.count == 1 {
            found.append(contentsOf: results[candidates[0]])
        } else if candidates.isEmpty, alternatives.allSatisfy({ $0.types != nil }) {
            var names: [String] = []
            for type in alternatives.flatMap({ $0.types ?? [] }) where !names.contains(type.rawValue) { names.append(type.rawValue) }
            found.append(.init(path: here, message: "expected \(listed(names)), got \(value.summary)"))
        } else {
            let reasons = results.enumerated().map { i, problems in "(\(i)) \(problems.first?.description ?? "no match")" }
            found.append(.init(path: here, message: "matches none of the alternatives: \(reasons.joined(separator: "; "))"))
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
