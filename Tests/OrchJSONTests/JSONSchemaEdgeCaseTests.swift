import Testing
import OrchJSON

/// Corners of the schema subset: keywords meeting values of other types, integers written
/// with a fraction, and `pattern`, which JSON Schema defines as an ECMA-262 regular expression.
@Suite struct JSONSchemaEdgeCaseTests {
    private func accepts(_ schema: JSONValue, _ value: JSONValue) throws -> Bool {
        try JSONSchema(schema).accepts(value)
    }

    @Test func keywordsOnlyConstrainValuesOfTheirOwnType() throws {
        let schema: JSONValue = [
            "minimum": 5, "maxLength": 1, "required": ["b"], "items": ["type": "string"],
            "properties": ["a": false], "maxItems": 0, "pattern": "^x$",
        ]
        for value: JSONValue in ["x", 7, nil, true, ["b": 1]] {
            #expect(try accepts(schema, value), "\(value)")
        }
        #expect(try JSONSchema(schema).violations(of: [1]).map(\.description) == ["expected at most 0 items, got 1", "0: expected string, got integer 1"])
        #expect(try JSONSchema(schema).violations(of: 3).map(\.description) == ["expected >= 5, got 3"])
    }

    @Test func integersMayBeWrittenWithAFraction() throws {
        let integer: JSONValue = ["type": "integer"]
        #expect(try accepts(integer, JSONValue(parsing: "1.0")))
        #expect(try accepts(integer, JSONValue(parsing: "-0")))
        #expect(try accepts(integer, JSONValue(parsing: "1e3")))
        #expect(try !accepts(integer, JSONValue(parsing: "1.5")))
        #expect(try accepts(["enum": [1]], JSONValue(parsing: "1.0")))
        #expect(try accepts(["const": 0], JSONValue(parsing: "-0.0")))
        #expect(try !accepts(["const": 0], false))
    }

    @Test func multipleOfIsListedAsNotEnforced() throws {
        let schema = try JSONSchema(["type": "number", "multipleOf": 0.01, "not": ["const": 1]])
        #expect(schema.unsupportedKeywords == ["multipleOf", "not"])
        #expect(schema.accepts(0.005))
    }

    @Test func aPatternThatDoesNotCompileIsRefusedAtLoadWithItsPlace() {
        for pattern in ["[a-", "(unclosed", "*x", "a{2,1}"] {
            do {
                _ = try JSONSchema(["properties": ["code": ["type": "string", "pattern": .string(pattern)]]])
                Issue.record("compiled /\(pattern)/")
            } catch {
                #expect(error.description == "invalid JSON Schema at 'properties.code.pattern': '\(pattern)' is not a valid regular expression")
            }
        }
    }

    /// ECMA-262 `$` is the end of the input; ICU's (NSRegularExpression's) also matches
    /// before a final newline, which let "abc\n" pass `^[a-z]+$`.
    @Test func dollarMeansTheEndOfTheString() throws {
        #expect(try accepts(["pattern": "^[a-z]+$"], "abc"))
        #expect(try !accepts(["pattern": "^[a-z]+$"], "abc\n"))
        #expect(try !accepts(["pattern": "^[a-z]+$"], "abc\r\n"))
        #expect(try !accepts(["pattern": "^(?:a|b)$"], "a\n"))
        // Escaped or inside a class, `$` is a dollar sign.
        #expect(try accepts(["pattern": "^a\\$$"], "a$"))
        #expect(try accepts(["pattern": "^[$]+$"], "$$"))
        #expect(try accepts(["pattern": "^\\\\$"], "\\"))
    }

    /// ECMA-262 `\d` and `\w` are ASCII; ICU's are Unicode, which let "٣" (Arabic-Indic
    /// three) pass `^\d+$` and then fail in the function that expected 0-9.
    @Test func digitAndWordClassesAreASCII() throws {
        #expect(try accepts(["pattern": "^\\d+$"], "0123456789"))
        #expect(try !accepts(["pattern": "^\\d+$"], "\u{663}"))
        #expect(try !accepts(["pattern": "^\\d+$"], "\u{FF11}"))
        #expect(try accepts(["pattern": "^\\D+$"], "\u{663}x"))
        #expect(try accepts(["pattern": "^\\w+$"], "Az_09"))
        #expect(try !accepts(["pattern": "^\\w+$"], "é"))
        #expect(try accepts(["pattern": "^\\W$"], "é"))
        #expect(try accepts(["pattern": "^[\\d.]+$"], "1.5"))
        #expect(try !accepts(["pattern": "^[\\d.]+$"], "\u{663}"))
        #expect(try accepts(["pattern": "^[^\\d]+$"], "\u{663}"))
        #expect(try accepts(["pattern": "^[\\D]$"], "\u{663}"))
        #expect(try !accepts(["pattern": "^[\\W\\d]$"], "a"))
        #expect(try accepts(["pattern": "^[\\W\\d]$"], "é"))
        // After a class escape, `-` is a literal hyphen, not a range.
        #expect(try accepts(["pattern": "^[\\w-.]+$"], "a-.b"))
        #expect(try !accepts(["pattern": "^[\\w-.]+$"], "é"))
        #expect(try accepts(["pattern": "^[\\d-x]+$"], "5-x"))
        #expect(try !accepts(["pattern": "^[\\d-x]+$"], "7a"))
        #expect(try accepts(["pattern": "^[\\W-a]+$"], "é-a"))
        // A backslash escaping a backslash is not the start of \d.
        #expect(try accepts(["pattern": "^\\\\d$"], "\\d"))
        // `[` inside a class is literal in ECMA-262 (ICU would open a nested set).
        #expect(try accepts(["pattern": "^[[]$"], "["))
        #expect(try accepts(["pattern": "^[a&&b]+$"], "a&b"))
    }

    @Test func alternativeMessagesNameWhatWouldFit() throws {
        #expect(try JSONSchema(["oneOf": [["type": "string"], ["type": "integer"]]]).violations(of: 1.5).map(\.description)
            == ["expected string or integer, got number 1.5"])
        #expect(try JSONSchema(["anyOf": [["type": "string", "minLength": 5], ["type": "string", "pattern": "^x"]]]).violations(of: "abc").map(\.description)
            == [#"matches none of the alternatives: (0) expected at least 5 characters, got 3; (1) expected a string matching /^x/, got string "abc""#])
        #expect(try JSONSchema(["oneOf": [["minimum": 0], ["maximum": 10]]]).violations(of: 5).map(\.description)
            == ["matches 2 alternatives (0, 1) but must match exactly one"])
    }
}

extension JSONSchemaEdgeCaseTests {
    /// Swift seeds its hashing per process, so walking `properties` in dictionary order gave
    /// a different first error and a different `unsupportedKeywords` order from run to run.
    @Test func compileResultsDoNotDependOnDictionaryOrder() throws {
        let names = ["h", "c", "a", "f", "b", "g", "e", "d"]
        var unsupported: [String: JSONValue] = [:]
        var malformed: [String: JSONValue] = [:]
        for name in names {
            unsupported[name] = ["$ref": "#/x", "items": ["not": ["type": "null"]]]
            malformed[name] = ["type": "nonsense"]
        }
        let schema = try JSONSchema(["properties": .object(unsupported)])
        #expect(schema.unsupportedKeywords == names.sorted().flatMap { ["properties.\($0).$ref", "properties.\($0).items.not"] })
        do {
            _ = try JSONSchema(["properties": .object(malformed)])
            Issue.record("compiled a schema with unknown types")
        } catch {
            #expect(error.location == "properties.a.type")
        }
    }
}
