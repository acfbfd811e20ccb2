import Foundation
import Testing
@testable import OrchJSON

/// The byte-level serializer and the parser's number fast path, checked against slow,
/// obviously right references: Swift's `Double(String)` and scalar-by-scalar escaping.
@Suite struct JSONFastPathTests {
    @Test(arguments: [
        "0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.3", "2.5", "123.456", "1e22", "1e23", "1E+2", "1e-0", "5e-324",
        "9007199254740992", "9007199254740993", "-9007199254740993", "18446744073709551615", "18446744073709551616",
        "1234567890123456789", "12345678901234567890", "0.000000000000000000001", "1.7976931348623157e308",
        "4.9406564584124654e-324", "2.2250738585072014e-308", "0e999999999999", "1.00000000000000000000000001",
        "0.1e1", "100e-2", "3.0e-22", "7e22", "123456789e-22", "9.999999999999999e22",
    ])
    func numbersParseExactlyAsSwiftReadsThem(_ text: String) throws {
        let expected = try #require(Double(text))
        let parsed = try JSONValue(parsing: text)
        #expect(parsed.doubleValue?.bitPattern == expected.bitPattern, "\(text)")
    }

    @Test func randomDecimalNumbersParseBitForBitAsSwiftReadsThem() throws {
        var random = SplitMix64(seed: 0xD1_6175)
        for _ in 0..<20_000 {
            let integer = String(UInt64.random(in: 0...UInt64.max, using: &random) >> UInt64.random(in: 0...63, using: &random))
            var text = (Bool.random(using: &random) ? "-" : "") + integer
            if Bool.random(using: &random) {
                text += "." + String(repeating: "0", count: Int.random(in: 0...4, using: &random)) + String(UInt32.random(in: 0...UInt32.max, using: &random))
            }
            if Bool.random(using: &random) { text += "e" + String(Int.random(in: -30...30, using: &random)) }
            let expected = try #require(Double(text))
            #expect(try JSONValue(parsing: text).doubleValue?.bitPattern == expected.bitPattern, "\(text)")
        }
    }

    @Test func negativeZeroKeepsItsSignWhenParsedAndIsWrittenAsZero() throws {
        #expect(try JSONValue(parsing: "-0").doubleValue?.sign == .minus)
        #expect(try JSONValue(parsing: "-0.0e5").doubleValue?.sign == .minus)
        #expect(JSONValue.number(-0.0).serialized() == "0")
    }

    @Test func integersOfEveryLengthAreWrittenAsSwiftPrintsThem() {
        var power: Int64 = 1
        for _ in 0...15 {
            for n in [power, power - 1, power + 1, -power, -(power - 1), power * 9 / 7] {
                #expect(JSONValue.number(Double(n)).serialized() == String(n))
            }
            power *= 10
        }
        #expect(JSONValue.number(Double(1 << 53)).serialized() == "9007199254740992")
        #expect(JSONValue.number(-Double(1 << 53)).serialized() == "-9007199254740992")
        #expect(JSONValue.number(Double(1 << 53) * 2).serialized() == "1.8014398509481984e+16")
    }

    @Test func stringsAreEscapedExactlyAsScalarByScalarEscaping() throws {
        let cases = ["", "\"", "\\", "\n", "plain", "\"start", "end\\", "mid\u{1}dle", "\u{0}\u{0}", "é\"ü\n中",
                     "😀\\\u{1F}😀", String(repeating: "long ascii run ", count: 40) + "\t", "\u{7F}\u{80}\u{2028}",
                     "e\u{301}\"", "\u{10FFFF}\u{1B}"]
        for string in cases {
            let written = JSONValue.string(string).serialized()
            #expect(written == Self.referenceEscaped(string), "\(Array(string.unicodeScalars))")
            #expect(try JSONValue(parsing: written) == .string(string))
        }
        var random = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let string = JSONSerializerTests.randomString(using: &random) + JSONSerializerTests.randomString(using: &random)
            #expect(JSONValue.string(string).serialized() == Self.referenceEscaped(string))
        }
    }

    @Test func escapesAndRawNonASCIIDecodeTogether() throws {
        let text = #""a\u00e9é\ud834\udd1e𝄞\n\"中\/\u0000""#
        #expect(try JSONValue(parsing: text) == .string("aéé𝄞𝄞\n\"中/\u{0}"))
    }

    @Test func aSliceOfDataParsesFromItsOwnStartAndErrorsCountFromThere() throws {
        let whole = Data("xx[1, 2, {\"a\": \"b\"}]".utf8)
        #expect(try JSONValue(parsing: whole[2...]) == [1, 2, ["a": "b"]])
        let broken = Data("xx[1, 2,]".utf8)
        #expect(throws: JSONParseError(message: "unexpected ']' where a value was expected", line: 1, column: 7, offset: 6)) {
            try JSONValue(parsing: broken[2...])
        }
    }

    @Test func bigDocumentsRoundTripThroughBytesDataAndText() throws {
        let value: JSONValue = .object(Dictionary(uniqueKeysWithValues: (0..<500).map { i in
            ("key-\(i)", ["n": .number(Double(i) * 1.5), "s": .string("value \(i) \u{e9}\n"), "flag": .bool(i % 2 == 0)])
        }))
        for layout in [JSONValue.Layout.compact, .pretty] {
            let bytes = value.serializedBytes(layout)
            #expect(String(decoding: bytes, as: UTF8.self) == value.serialized(layout))
            #expect(Data(bytes) == value.serializedData(layout))
            #expect(try JSONValue(parsing: Data(bytes)) == value)
        }
    }

    /// The escaping the serializer had before it wrote bytes: one scalar at a time.
    static func referenceEscaped(_ string: String) -> String {
        var out = "\""
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
        return out + "\""
    }
}
