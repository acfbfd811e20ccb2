import OrchJSON

/// Maps a JSON Schema to the OpenAPI subset Gemini takes in `responseSchema` and in a function
/// declaration's `parameters`: upper-case types, `nullable` instead of a `null` type, no
/// `additionalProperties`, `const`, `$schema` or `default`. Gemini rejects an OBJECT without
/// properties and `properties`/`required` on other types (google-gemini error messages
/// "should be non-empty for OBJECT type", "only allowed for OBJECT type"), so a free-form
/// object becomes a STRING holding JSON text, and `required` keeps only declared properties.
/// `propertyOrdering` lists `first` names ahead of the rest (Gemini otherwise orders
/// properties alphabetically).
public enum GeminiSchema {
    static let kept: Set<String> = ["description", "enum", "format", "minimum", "maximum", "minItems", "maxItems", "title"]

    public static func convert(_ schema: JSONValue, first: [String] = ["id", "tool", "depends_on"]) -> JSONValue {
        guard let object = schema.objectValue else { return ["type": "STRING"] }
        if let variants = object["anyOf"]?.arrayValue {
            return ["anyOf": .array(variants.map { convert($0, first: first) })]
        }
        var types = object["type"].map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue].compactMap { $0 } } ?? []
        let nullable = types.contains("null")
        types.removeAll { $0 == "null" }
        if types.count > 1 {
            var variants = types.map { type -> JSONValue in
                var single = object
                single["type"] = .string(type)
                return convert(.object(single), first: first)
            }
            if nullable { variants = variants.map { $0.merging(["nullable": true]) } }
            return ["anyOf": .array(variants)]
        }
        var result: [String: JSONValue] = [:]
        for key in kept { if let value = object[key] { result[key] = value } }
        if nullable { result["nullable"] = true }
        switch types.first ?? "string" {
        case "object":
            let properties = object["properties"]?.objectValue ?? [:]
            guard !properties.isEmpty else {
                result["type"] = "STRING"
                result["description"] = .string(((object["description"]?.stringValue).map { $0 + " " } ?? "") + "(a JSON object, as text)")
                return .object(result)
            }
            result["type"] = "OBJECT"
            result["properties"] = .object(properties.mapValues { convert($0, first: first) })
            let required = (object["required"]?.arrayValue ?? []).filter { $0.stringValue.map { properties[$0] != nil } ?? false }
            if !required.isEmpty { result["required"] = .array(required) }
            let ordered = first.filter { properties[$0] != nil } + properties.keys.filter { !first.contains($0) }.sorted()
            result["propertyOrdering"] = .array(ordered.map(JSONValue.string))
        case "array":
            result["type"] = "ARRAY"
            result["items"] = convert(object["items"] ?? ["type": "string"], first: first)
        case let other:
            result["type"] = .string(other.uppercased())
        }
        return .object(result)
    }
}

extension JSONValue {
    /// This object with `other`'s members added (other wins); other values are returned unchanged.
    func merging(_ other: [String: JSONValue]) -> JSONValue {
        guard var object = objectValue else { return self }
        object.merge(other) { _, new in new }
        return .object(object)
    }
}
