import Foundation

extension JSONValue {
    /// How `serialized` lays text out. Object keys are always sorted, so equal values give
    /// byte-equal text: canonical for matching, stable for diffs.
    public enum Layout: Sendable {
        /// One line, no spaces: the canonical form.
        case compact
        /// Two-space indents, one member per line, `"key" : value`-free (`"key": value`).
        case pretty
    }

    /// The value as JSON text. NaN and infinity, which JSON cannot express, are written as
    /// `null`; code that may produce them should check first (function results are checked
    /// by the registry).
    public func serialized(_ layout: Layout = .compact) -> String {
        var out = ""
        write(to: &out, layout: layout, indent: 0)
        return out
    }

    /// The value as UTF-8 JSON bytes.
    public func serializedData(_ layout: Layout = .compact) -> Data {
        Data(serialized(layout).utf8)
    }

    private func write(to out: inout String, layout: Layout, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += JSONValue.format(n)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let elements):
            if elements.isEmpty { out += "[]"; return }
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += "," }
                JSONValue.newline(&out, layout: layout, indent: indent + 1)
                element.write(to: &out, layout: layout, indent: indent + 1)
            }
            JSONValue.newline(&out, layout: layout, indent: indent)
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, key) in members.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                JSONValue.newline(&out, layout: layout, indent: indent + 1)
                JSONValue.writeString(key, to: &out)
                out += layout == .pretty ? ": " : ":"
                members[key]!.write(to: &out, layout: layout, indent: indent + 1)
            }
            JSONValue.newline(&out, layout: layout, indent: indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, layout: Layout, indent: Int) {
        guard layout == .pretty else { return }
        out += "\n"
        out += String(repeating: "  ", count: indent)
    }

    /// Whole numbers up to 2^53 print as integers (`-0` as `0`); others in Swift's shortest
    /// round-trip form (`0.1`, `1e-07`, `9.007199254740994e+15`). JSON has no NaN or
    /// infinity: they print as `null`, as JavaScript's `JSON.stringify` does, rather than as
    /// Swift's `nan`/`inf`, which no JSON parser reads.
    static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number.rounded() == number, abs(number) <= 9_007_199_254_740_992 {
            return number == 0 ? "0" : String(Int64(number))
        }
        return "\(number)"
    }

    static func writeString(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}": out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { serialized() }
}
