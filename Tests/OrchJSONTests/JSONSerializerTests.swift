import Foundation
import Testing
@testable import OrchJSON

@Suite struct JSONSerializerTests {
    @Test func randomValuesSurviveARoundTripInBothLayouts() throws {
        var random = SplitMix64(seed: 0x5E71_A112)
        for _ in 0..<1500 {
            let value = Self.randomValue(depth: 0, using: &random)
            for layout in [JSONValue.Layout.compact, .pretty] {
                let text = value.serialized(layout)
                let parsed = try JSONValue(parsing: text)
                #expect(parsed == value, "\(text)")
                #expect(parsed.serialized(layout) == text, "canonical: \(text)")
            }
            #expect(try JSONValue(parsing: value.serializedData()) == value)
        }
    }

    @Test func controlCharactersAreEscapedAndEverythingElseIsWrittenAsIs() throws {
        let all = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let text = JSONValue.string(all).serialized()
        #expect(text == #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f""#)
        #expect(try JSONValue(parsing: text) == .string(all))
        // U+2028/2029, DEL, non-BMP and combining marks are valid raw in JSON.
        let other = "\u{2028}\u{2029}\u{7F}😀𝄞e\u{301}/\"\\"
        #expect(JSONValue.string(other).serialized() == "\"\u{2028}\u{2029}\u{7F}😀𝄞e\u{301}/\\\"\\\\\"")
        #expect(try JSONValue(parsing: JSONValue.string(other).serialized()) == .string(other))
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-2.0, "-2"), (0.5, "0.5"), (-0.1, "-0.1"), (100.0, "100"),
        (999_999_999_999_999.0, "999999999999999"), (1e15, "1000000000000000"), (9_007_199_254_740_992, "9007199254740992"),
        (-9_007_199_254_740_992, "-9007199254740992"), (9_007_199_254_740_994, "9.007199254740994e+15"), (1e21, "1e+21"), (1e-7, "1e-07"),
        (123.456, "123.456"), (.leastNonzeroMagnitude, "5e-324"),
    ] as [(Double, String)])
    func numbersAreWrittenWholeOrShortest(_ number: Double, _ text: String) throws {
        #expect(JSONValue.number(number).serialized() == text)
        #expect(try JSONValue(parsing: text) == .number(number))
    }

    /// JSON has no NaN or infinity. Writing Swift's `nan`/`inf` would give text no parser
    /// reads back; the serializer writes `null`, as JavaScript's `JSON.stringify` does.
    @Test(arguments: [Double.nan, .infinity, -.infinity, .signalingNaN])
    func nonFiniteNumbersAreWrittenAsNull(_ number: Double) throws {
        let value: JSONValue = ["x": .number(number), "list": [.number(number), 1]]
        for layout in [JSONValue.Layout.compact, .pretty] {
            let parsed = try JSONValue(parsing: value.serialized(layout))
            #expect(parsed == ["x": nil, "list": [nil, 1]])
        }
    }

    @Test func keysAreSortedTheSameWayWhateverTheInsertionOrder() throws {
        let keys = ["b", "a", "B", "", "a0", "a-", "é", "z", "10", "9", "😀", "_"]
        var random = SplitMix64(seed: 42)
        let reference = JSONValue.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, JSONValue.number(1)) })).serialized()
        for _ in 0..<50 {
            var members: [String: JSONValue] = [:]
            for key in keys.shuffled(using: &random) { members[key] = 1 }
            #expect(JSONValue.object(members).serialized() == reference)
        }
        #expect(reference == #"{"":1,"10":1,"9":1,"B":1,"_":1,"a":1,"a-":1,"a0":1,"b":1,"z":1,"é":1,"😀":1}"#)
    }

    @Test func prettyLayoutIndentsByTwoSpaces() {
        let value: JSONValue = ["b": [1, [:], []], "a": ["c": nil]]
        #expect(value.serialized(.pretty) == """
            {
              "a": {
                "c": null
              },
              "b": [
                1,
                {},
                []
              ]
            }
            """)
    }

    static func randomValue(depth: Int, using random: inout SplitMix64) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(randomNumber(using: &random))
        case 3: return .string(randomString(using: &random))
        case 4: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(depth: depth + 1, using: &random) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                members[randomString(using: &random)] = randomValue(depth: depth + 1, using: &random)
            }
            return .object(members)
        }
    }

    static func randomNumber(using random: inout SplitMix64) -> Double {
        switch Int.random(in: 0..<5, using: &random) {
        case 0: return Double(Int.random(in: -1_000_000...1_000_000, using: &random))
        case 1: return Double(Int64.random(in: -(1 << 53)...(1 << 53), using: &random))
        case 2: return Double(Int.random(in: -100_000...100_000, using: &random)) / 100
        case 3: return Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &random)).isFinite
            ? Double(bitPattern: UInt64.random(in: 0..<0x7FF0_0000_0000_0000, using: &random)) : 0.1
        default: return Double.random(in: -1e300...1e300, using: &random)
        }
    }

    static func randomString(using random: inout SplitMix64) -> String {
        let pool: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}",
                                      "é", "\u{301}", "\u{2028}", "\u{FEFF}", "\u{FFFF}", "中", "😀", "\u{10FFFF}"]
        let count = Int.random(in: 0...8, using: &random)
        return String(String.UnicodeScalarView((0..<count).map { _ in pool.randomElement(using: &random)! }))
    }
}
