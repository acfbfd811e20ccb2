import OrchJSON

/// Converts a JSON Schema into Gemini's `responseSchema` / function `parameters` dialect: the
/// OpenAPI-subset `Schema` of wire-formats.md §4. Types become the upper-case enum (`OBJECT`,
/// `STRING`, …), `["string", "null"]` becomes `STRING` with `nullable`, `const` becomes a
/// one-value `enum`, local `$ref`s (`#/$defs/…`, `#/definitions/…`) are inlined, `oneOf`
/// becomes `anyOf`, and keywords the dialect lacks (`additionalProperties`, `$schema`,
/// `patternProperties`, `not`, `if`/`then`/`else`, …) are dropped, since the API rejects
/// unknown fields.
public enum GeminiSchema {
    /// Keywords `Schema` accepts besides the ones converted below.
    static let kept: Set<String> = [
        "format", "title", "description", "nullable", "enum", "maxItems", "minItems",
        "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example",
        "default", "minimum", "maximum", "propertyOrdering",
    ]

    public static func convert(_ schema: JSONValue) -> JSONValue {
        convert(schema, root: schema, depth: 0)
    }

    private static func convert(_ schema: JSONValue, root: JSONValue, depth: Int) -> JSONValue {
        guard var object = schema.objectValue, depth < 32 else { return schema.objectValue == nil ? schema : [:] }
        if let ref = object["$ref"]?.stringValue, let target = resolve(ref, in: root) {
            object.removeValue(forKey: "$ref")
            // Sibling keywords (a description beside the $ref) win over the target's.
            let merged = (target.objectValue ?? [:]).merging(object) { _, sibling in sibling }
            return convert(.object(merged), root: root, depth: depth + 1)
        }
        var out: [String: JSONValue] = [:]
        for (key, value) in object {
            switch key {
            case "type":
                let names = value.arrayValue?.compactMap(\.stringValue) ?? [value.stringValue].compactMap { $0 }
                let real = names.filter { $0 != "null" }
                if names.contains("null") { out["nullable"] = true }
                if let first = real.first { out["type"] = .string(first.uppercased()) } else if names == ["null"] { out["type"] = "NULL" }
            case "const":
                out["enum"] = [value]
            case "properties":
                out["properties"] = .object((value.objectValue ?? [:]).mapValues { convert($0, root: root, depth: depth + 1) })
            case "items":
                out["items"] = convert(value, root: root, depth: depth + 1)
            case "anyOf", "oneOf":
                out["anyOf"] = .array((value.arrayValue ?? []).map { convert($0, root: root, depth: depth + 1) })
            case "required":
                out["required"] = value
            default:
                if kept.contains(key) { out[key] = value }
            }
        }
        // A `const` or `enum` without a type is a string enum in Gemini's dialect.
        if out["type"] == nil, out["enum"] != nil { out["type"] = "STRING" }
        return .object(out)
    }

    private static func resolve(_ ref: String, in root: JSONValue) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: JSONValue? = root
        for part in ref.dropFirst(2).split(separator: "/") {
            node = node?[part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
        return node
    }
}
