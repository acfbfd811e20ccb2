import Testing
@testable import OrchJSON

@Suite struct JSONParserTests {
    @Test func parsesNestedDocument() throws {
        let value = try JSONValue(parsing: #"{"a": [1, 2.5, "x\n\u00e9\ud83d\ude00"], "b": {"c": null, "d": true}}"#)
        #expect(value == ["a": [1, 2.5, "x\né😀"], "b": ["c": nil, "d": true]])
    }

    @Test func reportsLineAndColumnOfTheProblem() {
        let text = "{\n  \"a\": 1,\n  \"b\": tru\n}"
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        do {
            _ = try JSONValue(parsing: text)
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 11)
        }
    }

    @Test func saysWhenTheDocumentIsCutShort() {
        do {
            _ = try JSONValue(parsing: "{\"steps\": [1, 2")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("cut short"))
            #expect(error.line == 1)
            #expect(error.column == 16)  // just past the last character
        }
    }

    @Test(arguments: ["", "01", "[1,]", "{\"a\" 1}", "\"\\x\"", "[1] 2", "-", "1.", "\"\u{01}\"", "nul"])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func refusesNestingBeyondTheLimitInsteadOfCrashing() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }

    @Test func serializesCanonicallyWithSortedKeysAndWholeNumbers() throws {
        let value: JSONValue = ["b": 2, "a": [1.5, "q\"\n", nil], "c": 1e20]
        #expect(value.serialized() == #"{"a":[1.5,"q\"\n",null],"b":2,"c":1e+20}"#)
        #expect(try JSONValue(parsing: value.serialized(.pretty)) == value)
    }

    @Test func pathSelectsInsideAndNamesTheFailingSegment() throws {
        let value: JSONValue = ["items": [["description": "Coffee"]]]
        #expect(try value.value(at: JSONPath("items.0.description")) == "Coffee")
        #expect(throws: JSONPathError.self) { try value.value(at: JSONPath("items.3")) }
        do {
            _ = try value.value(at: JSONPath("items.0.price"))
        } catch {
            #expect(error.description == "'price' does not select anything in 'items.0', which is an object with keys [description]")
        }
    }
}
