import Testing
import OrchJSON

@Suite struct JSONSchemaTests {
    private func problems(_ schema: JSONValue, _ value: JSONValue) throws -> [String] {
        try JSONSchema(schema).violations(of: value).map(\.description)
    }

    @Test func typeNamesAndIntegers() throws {
        #expect(try problems(["type": "number"], "abc") == [#"expected number, got string "abc""#])
        #expect(try problems(["type": "number"], 3) == [])
        #expect(try problems(["type": "integer"], 3) == [])
        #expect(try problems(["type": "integer"], 2.5) == ["expected integer, got number 2.5"])
        #expect(try problems(["type": "boolean"], 1) == ["expected boolean, got integer 1"])
        #expect(try problems(["type": ["string", "null"]], nil) == [])
        #expect(try problems(["type": ["string", "null"]], [1, 2]) == ["expected string or null, got array of 2 items"])
        #expect(try problems(["type": "object"], [:]) == [])
        #expect(try problems(["type": "array"], ["a": 1]) == ["expected array, got object with keys [a]"])
    }

    @Test func objectsReportEveryProblemWithItsPath() throws {
        let schema: JSONValue = [
            "type": "object",
            "required": ["amount", "tax_rate"],
            "additionalProperties": false,
            "properties": [
                "amount": ["type": "number", "description": "ignored"],
                "tax_rate": ["type": "number"],
                "note": ["type": "string"],
            ],
        ]
        #expect(try problems(schema, ["amount": "abc", "note": 5, "amont": 1]) == [
            "tax_rate: missing (required)",
            "amont: not allowed (known: amount, note, tax_rate)",
            #"amount: expected number, got string "abc""#,
            "note: expected string, got integer 5",
        ])
        #expect(try problems(schema, ["amount": 1, "tax_rate": 0.1]) == [])
    }

    @Test func additionalPropertiesCanBeASchema() throws {
        let schema: JSONValue = ["type": "object", "additionalProperties": ["type": "integer"]]
        #expect(try problems(schema, ["a": 1, "b": "x"]) == [#"b: expected integer, got string "x""#])
    }

    @Test func nestedArraysGiveIndexedPaths() throws {
        let item: JSONValue = ["type": "object", "required": ["total"], "properties": ["total": ["type": "number"]]]
        let schema: JSONValue = ["type": "object", "properties": ["items": ["type": "array", "items": item, "minItems": 1]]]
        #expect(try problems(schema, ["items": [["total": 1], ["total": 2], ["total": "abc"], [:]]]) == [
            #"items.2.total: expected number, got string "abc""#,
            "items.3.total: missing (required)",
        ])
        #expect(try problems(schema, ["items": []]) == ["items: expected at least 1 item, got 0"])
        #expect(try problems(["type": "array", "maxItems": 2], [1, 2, 3]) == ["expected at most 2 items, got 3"])
    }

    @Test func enumAndConst() throws {
        #expect(try problems(["enum": ["a", "b"]], "c") == [#"expected one of "a", "b", got string "c""#])
        #expect(try problems(["enum": ["a", 1, nil]], nil) == [])
        #expect(try problems(["const": "x"], "y") == [#"expected "x", got string "y""#])
        #expect(try problems(["const": nil], nil) == [])
        #expect(try problems(["const": nil], 0) == ["expected null, got integer 0"])
    }

    @Test func numericBounds() throws {
        let schema: JSONValue = ["type": "number", "minimum": 0, "maximum": 1]
        #expect(try problems(schema, -5) == ["expected >= 0, got -5"])
        #expect(try problems(schema, 1.5) == ["expected <= 1, got 1.5"])
        #expect(try problems(schema, 0) == [])
        #expect(try problems(schema, 1) == [])
        let exclusive: JSONValue = ["exclusiveMinimum": 0, "exclusiveMaximum": 10]
        #expect(try problems(exclusive, 0) == ["expected > 0, got 0"])
        #expect(try problems(exclusive, 10) == ["expected < 10, got 10"])
        #expect(try problems(exclusive, 5) == [])
        // Draft 4 spelled exclusivity as a boolean beside minimum / maximum.
        let draft4: JSONValue = ["minimum": 0, "exclusiveMinimum": true, "maximum": 1, "exclusiveMaximum": false]
        #expect(try problems(draft4, 0) == ["expected > 0, got 0"])
        #expect(try problems(draft4, 1) == [])
    }

    @Test func stringLengthAndPattern() throws {
        let schema: JSONValue = ["type": "string", "minLength": 2, "maxLength": 4, "pattern": "^[a-z]+$"]
        #expect(try problems(schema, "abc") == [])
        #expect(try problems(schema, "A") == [
            "expected at least 2 characters, got 1",
            #"expected a string matching /^[a-z]+$/, got string "A""#,
        ])
        #expect(try problems(schema, "abcde") == ["expected at most 4 characters, got 5"])
        // Lengths count code points: one emoji is one character.
        #expect(try problems(["maxLength": 1], "😀") == [])
        // Patterns are not anchored unless they say so.
        #expect(try problems(["pattern": "[0-9]"], "ab3") == [])
    }

    @Test func anyOfReportsTheAlternativeOfTheValuesType() throws {
        let item: JSONValue = ["type": "object", "properties": ["total": ["type": "number"]]]
        let schema: JSONValue = ["anyOf": [
            ["type": "array", "items": item],
            ["type": "object", "properties": ["items": ["type": "array", "items": item]]],
        ]]
        #expect(try problems(schema, [["total": 1]]) == [])
        #expect(try problems(schema, ["items": [["total": 1]]]) == [])
        #expect(try problems(schema, [["total": "x"]]) == [#"0.total: expected number, got string "x""#])
        #expect(try problems(schema, ["items": [["total": true]]]) == ["items.0.total: expected number, got boolean true"])
        #expect(try problems(schema, "abc") == [#"expected array or object, got string "abc""#])
    }

    @Test func anyOfWithoutTypesListsEachAlternativesReason() throws {
        let schema: JSONValue = ["anyOf": [["required": ["items"]], ["required": ["categorized"]]]]
        #expect(try problems(schema, ["items": []]) == [])
        #expect(try problems(schema, ["text": "x"]) == [
            "matches none of the alternatives: (0) items: missing (required); (1) categorized: missing (required)"
        ])
    }

    @Test func oneOfNeedsExactlyOneMatch() throws {
        let schema: JSONValue = ["oneOf": [["type": "integer"], ["type": "number", "minimum": 0]]]
        #expect(try problems(schema, -2.5) == ["expected >= 0, got -2.5"])
        #expect(try problems(schema, -2) == [])
        #expect(try problems(schema, 2) == ["matches 2 alternatives (0, 1) but must match exactly one"])
    }

    @Test func allOfAndBooleanSchemas() throws {
        let schema: JSONValue = ["allOf": [["type": "number"], ["minimum": 10]]]
        #expect(try problems(schema, 5) == ["expected >= 10, got 5"])
        #expect(try problems(false, 1) == ["not allowed here, got integer 1"])
        #expect(try problems(true, 1) == [])
        #expect(try problems(["type": "object", "properties": ["x": false]], ["x": 1]) == ["x: not allowed here, got integer 1"])
    }

    @Test func rejectsMalformedSchemasNamingTheKeyword() {
        let cases: [(JSONValue, String, String)] = [
            (["type": "integr"], "type", #"string "integr" is not a JSON Schema type"#),
            (["type": []], "type", "non-empty array"),
            (["required": "amount"], "required", "array of property names"),
            (["properties": ["amount": ["minimum": "zero"]]], "properties.amount.minimum", "expected a number"),
            (["minLength": -1], "minLength", "non-negative integer"),
            (["maxItems": 1.5], "maxItems", "non-negative integer"),
            (["pattern": "(unclosed"], "pattern", "not a valid regular expression"),
            (["anyOf": []], "anyOf", "non-empty array of schemas"),
            (["oneOf": [["type": 3]]], "oneOf.0.type", "expected a type name"),
            (["type": ["string", "decimal"]], "type", #"string "decimal" is not a JSON Schema type"#),
            (["enum": []], "enum", "non-empty array"),
            (["items": "number"], "items", "must be an object or a boolean"),
            (["exclusiveMinimum": true], "exclusiveMinimum", "needs 'minimum'"),
            ("number", "", "must be an object or a boolean"),
        ]
        for (schema, location, fragment) in cases {
            do {
                _ = try JSONSchema(schema)
                Issue.record("accepted malformed schema \(schema.serialized())")
            } catch {
                #expect(error.location == location, "\(schema.serialized())")
                #expect(error.message.contains(fragment), "\(error.message)")
                #expect(error.description.hasPrefix("invalid JSON Schema at"))
            }
        }
    }

    @Test func listsKeywordsItDoesNotEnforce() throws {
        let schema = try JSONSchema([
            "type": "object", "title": "t", "format": "uri",
            "properties": ["when": ["$ref": "#/$defs/date"]],
            "$defs": ["date": ["type": "string"]],
        ])
        #expect(schema.unsupportedKeywords == ["properties.when.$ref"])
        #expect(schema.accepts(["when": 5]))
    }

    @Test func summariesShowTypeAndValue() {
        #expect(JSONValue.string("abc").summary == #"string "abc""#)
        #expect(JSONValue.number(3).summary == "integer 3")
        #expect(JSONValue.object([:]).summary == "an empty object")
        #expect(JSONValue.string(String(repeating: "x", count: 100)).summary.hasSuffix("…\""))
    }
}
