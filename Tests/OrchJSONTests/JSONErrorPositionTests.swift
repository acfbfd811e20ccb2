import Foundation
import Testing
@testable import OrchJSON

/// Every parse error points at the character a reader has to fix: line and column counted
/// from 1, columns in Unicode characters (not bytes), the offset in bytes.
@Suite struct JSONErrorPositionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var bytes: [UInt8]
        var line: Int
        var column: Int
        var message: String
        init(_ text: String, _ line: Int, _ column: Int, _ message: String) {
            self.init(Array(text.utf8), line, column, message)
        }
        init(_ bytes: [UInt8], _ line: Int, _ column: Int, _ message: String) {
            self.bytes = bytes
            self.line = line
            self.column = column
            self.message = message
        }
        var testDescription: String { String(decoding: bytes, as: UTF8.self).debugDescription }
    }

    static let cases: [Case] = [
        .init("", 1, 1, "the document is empty"),
        .init("[1,]", 1, 4, "unexpected ']' where a value was expected"),
        .init("{\"a\":1,}", 1, 8, "expected a member name in double quotes but found '}'"),
        .init("{\n  \"a\" 1\n}", 2, 7, "expected ':' after member name \"a\" but found '1'"),
        .init("[1 2]", 1, 4, "expected ',' or ']' in an array but found '2'"),
        .init("01", 1, 2, "a number may not have leading zeros"),
        .init("[-]", 1, 3, "expected a digit in a number but found ']'"),
        .init("1.", 1, 3, "unexpected end of input: the document is cut short (expected a digit after the decimal point)"),
        .init("[1e]", 1, 4, "expected a digit in the exponent but found ']'"),
        .init("[\n  1e400\n]", 2, 3, "number 1e400 is out of range"),
        .init("[1] x", 1, 5, "unexpected 'x' after the end of the JSON value"),
        .init("\"ab\ncd\"", 1, 4, "control character byte 0x0A inside a string; escape it"),
        .init("\r\n\"\\q\"", 2, 3, "invalid escape '\\q' in a string"),
        .init([0x22, 0x5C, 0xC3, 0xA9, 0x22], 1, 3, "invalid escape '\\' followed by byte 0xC3 in a string"),
        .init("\"\\\t\"", 1, 3, "invalid escape '\\' followed by byte 0x09 in a string"),
        .init("\"\\u12x4\"", 1, 6, "invalid hex digit 'x' in a \\u escape"),
        // Columns count characters: "é" and "😀" are one column each.
        .init("[\"é😀\", tru]", 1, 11, "expected 'true' but found ']'"),
        .init("\t[nul", 1, 6, "unexpected end of input: the document is cut short"),
        .init("\"abc", 1, 5, "unexpected end of input inside a string"),
        // Surrogate problems point at the escape that starts the bad pair.
        .init("[\"ab\\ud800\"]", 1, 5, "unpaired UTF-16 surrogate in a \\u escape"),
        .init("[\"\\udc00\"]", 1, 3, "unpaired UTF-16 surrogate in a \\u escape"),
        .init("[\"x\\ud83d\\u0041\"]", 1, 4, "unpaired UTF-16 surrogate in a \\u escape"),
        // A byte that is not UTF-8 is pointed at, not the start of its string.
        .init([0x0A, 0x5B, 0x22, 0x61, 0x62, 0xFF, 0x22, 0x5D], 2, 5, "a string holds bytes that are not UTF-8"),
        .init([0x22, 0x5C, 0x6E, 0xC3, 0xA9, 0xC0, 0xAF, 0x22], 1, 5, "a string holds bytes that are not UTF-8"),
        .init([0x22, 0xE2, 0x82, 0x22], 1, 2, "a string holds bytes that are not UTF-8"),
        // A byte-order mark is invisible in an editor, so it takes no column.
        .init([0xEF, 0xBB, 0xBF] + Array("[1,]".utf8), 1, 4, "unexpected ']' where a value was expected"),
        .init([0xEF, 0xBB, 0xBF], 1, 1, "the document is empty"),
        .init([0xEF, 0xBB, 0xBF] + Array("[\n1,]".utf8), 2, 3, "unexpected ']' where a value was expected"),
    ]

    @Test(arguments: cases)
    func pointsAtTheProblem(_ example: Case) {
        do {
            let value = try JSONValue(parsing: Data(example.bytes))
            Issue.record("parsed as \(value)")
        } catch {
            #expect(error.message == example.message)
            #expect(error.line == example.line, "line")
            #expect(error.column == example.column, "column")
            #expect(error.description == "line \(example.line), column \(example.column): \(example.message)")
        }
    }

    @Test func offsetCountsBytesFromZeroWhileColumnsCountCharacters() throws {
        do {
            _ = try JSONValue(parsing: "[\"é\", x]")
            Issue.record("expected an error")
        } catch {
            #expect(error.column == 7)
            #expect(error.offset == 7)  // zero-based, and "é" is two bytes
        }
    }
}
