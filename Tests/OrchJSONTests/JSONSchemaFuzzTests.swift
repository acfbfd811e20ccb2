import Testing
@testable import OrchJSON

/// Random schemas built from the supported keywords, checked against random values: a
/// schema either compiles or throws `JSONSchemaError`, and checking never traps.
@Suite struct JSONSchemaFuzzTests {
    static let keywords = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "pattern",
        "anyOf", "oneOf", "allOf", "$ref", "description",
    ]

    @Test func randomSchemasCompileOrFailCleanly() {
        var random = SplitMix64(seed: 0x5C4E_3A)
        var compiled = 0
        for _ in 0..<3000 {
            let schema = Self.randomSchema(depth: 0, using: &random)
            guard let checker = try? JSONSchema(schema) else { continue }
            compiled += 1
            for _ in 0..<3 {
                let value = JSONSerializerTests.randomValue(depth: 0, using: &random)
                let violations = checker.violations(of: value)
                #expect(checker.accepts(value) == violations.isEmpty)
                #expect(violations.allSatisfy { !$0.message.isEmpty })
            }
        }
        #expect(compiled > 300)
    }

    static func randomSchema(depth: Int, using random: inout SplitMix64) -> JSONValue {
        if depth > 2 || Int.random(in: 0..<6, using: &random) == 0 { return .bool(Bool.random(using: &random)) }
        var members: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let keyword = keywords.randomElement(using: &random)!
            members[keyword] = keywordValue(keyword, depth: depth, using: &random)
        }
        return .object(members)
    }

    static func keywordValue(_ keyword: String, depth: Int, using random: inout SplitMix64) -> JSONValue {
        // Mostly well-formed values, sometimes anything at all.
        if Int.random(in: 0..<5, using: &random) == 0 { return JSONSerializerTests.randomValue(depth: 2, using: &random) }
        switch keyword {
        case "type": return .string(["null", "boolean", "integer", "number", "string", "array", "object"].randomElement(using: &random)!)
        case "properties": return .object(["a": randomSchema(depth: depth + 1, using: &random), "0": randomSchema(depth: depth + 1, using: &random)])
        case "required": return ["a", "b"]
        case "additionalProperties", "items": return randomSchema(depth: depth + 1, using: &random)
        case "anyOf", "oneOf", "allOf": return .array((0..<Int.random(in: 1...3, using: &random)).map { _ in randomSchema(depth: depth + 1, using: &random) })
        case "pattern": return .string(["^a", "[0-9]$", "\\d+", "(", "[\\w-.]", "x{2,1}", ""].randomElement(using: &random)!)
        case "enum": return [1, "a", nil]
        case "exclusiveMinimum", "exclusiveMaximum": return Bool.random(using: &random) ? .bool(true) : .number(Double(Int.random(in: -5...5, using: &random)))
        default: return .number(Double(Int.random(in: -2...5, using: &random)))
        }
    }
}
