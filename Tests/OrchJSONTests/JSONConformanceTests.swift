import Foundation
import Testing
@testable import OrchJSON

/// RFC 8259 conformance in the spirit of nst/JSONTestSuite: `y_` documents must parse to the
/// given value, `n_` documents must be refused with a `JSONParseError` (never a crash).
/// Choices for the suite's implementation-defined `i_` cases are listed in
/// `implementationDefinedChoices`.
@Suite struct JSONConformanceTests {
    struct Accept: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var expected: JSONValue
        init(_ name: String, _ text: String, _ expected: JSONValue) {
            self.init(name, Array(text.utf8), expected)
        }
        init(_ name: String, _ bytes: [UInt8], _ expected: JSONValue) {
            self.name = name
            self.bytes = bytes
            self.expected = expected
        }
        var testDescription: String { name }
    }

    struct Reject: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        init(_ name: String, _ text: String) { self.init(name, Array(text.utf8)) }
        init(_ name: String, _ bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
        var testDescription: String { name }
    }

    static let accepted: [Accept] = [
        .init("y_structure_lonely_int", "42", 42),
        .init("y_structure_lonely_negative_real", "-0.1", -0.1),
        .init("y_structure_lonely_string", #""asd""#, "asd"),
        .init("y_structure_lonely_true", "true", true),
        .init("y_structure_lonely_false", "false", false),
        .init("y_structure_lonely_null", "null", nil),
        .init("y_structure_whitespace_array", " [] ", []),
        .init("y_structure_all_four_whitespace_kinds", " \t\r\n[\t1 ,\r\n2\n]\r", [1, 2]),
        .init("y_structure_trailing_newline", "[\"a\"]\n", ["a"]),
        .init("y_object_empty", "{}", [:]),
        .init("y_object_empty_key", #"{"":0}"#, ["": 0]),
        .init("y_object_numeric_key", #"{"1":1,"0":[]}"#, ["1": 1, "0": []]),
        .init("y_object_duplicated_key_last_wins", #"{"a":"b","a":"c"}"#, ["a": "c"]),
        .init("y_array_heterogeneous", #"[null, 1, "1", {}]"#, [nil, 1, "1", [:]]),
        .init("y_array_nested_empty", "[[[]],[]]", [[[]], []]),
        .init("y_number_0", "0", 0),
        .init("y_number_negative_zero", "-0", .number(-0.0)),
        .init("y_number_minus_zero_real", "-0.0", .number(-0.0)),
        .init("y_number_real_capital_e", "1E22", 1e22),
        .init("y_number_real_capital_e_neg_exp", "1E-2", 0.01),
        .init("y_number_real_capital_e_pos_exp", "1E+2", 100),
        .init("y_number_real_exponent_leading_zeros", "1e007", 1e7),
        .init("y_number_real_fraction_exponent", "123.456e78", 123.456e78),
        .init("y_number_after_space", "[ 4]", [4]),
        .init("y_number_simple_real", "123.456789", 123.456789),
        .init("y_number_2^53", "9007199254740992", 9_007_199_254_740_992),
        .init("y_number_max_double", "1.7976931348623157e308", .number(.greatestFiniteMagnitude)),
        .init("y_number_min_subnormal", "5e-324", .number(.leastNonzeroMagnitude)),
        .init("i_number_huge_negative_exponent_underflows_to_zero", "123.456e-789", 0),
        .init("i_number_very_big_integer_rounds", "100000000000000000000000000000001", 1e32),
        .init("y_string_escapes", #""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
        .init("y_string_unicode_escape_bmp", #""\u00e9\u4E2D""#, "é中"),
        .init("y_string_escaped_nul", #""a\u0000b""#, "a\u{0}b"),
        .init("y_string_surrogate_pair", #""\ud83d\ude00""#, "😀"),
        .init("y_string_surrogate_pair_upper_hex", #""\uD834\uDD1E""#, "𝄞"),
        .init("y_string_last_surrogates_1_and_2", #""\uDBFF\uDFFF""#, "\u{10FFFF}"),
        .init("y_string_raw_u2028_u2029", "\"\u{2028}\u{2029}\"", "\u{2028}\u{2029}"),
        .init("y_string_raw_non_bmp", "\"😀𝄞\"", "😀𝄞"),
        .init("y_string_raw_del", "\"\u{7F}\"", "\u{7F}"),
        .init("y_string_nonchar_uFFFF", #""\uFFFF""#, "\u{FFFF}"),
        .init("y_string_in_array_with_leading_space", #"[ "asd"]"#, ["asd"]),
        .init("i_structure_utf8_bom_is_ignored", [0xEF, 0xBB, 0xBF] + Array("{}".utf8), [:]),
    ]

    static let rejected: [Reject] = [
        .init("n_structure_no_data", ""),
        .init("n_structure_whitespace_only", " \n\t "),
        .init("n_single_space", " "),
        .init("n_structure_bom_only", [0xEF, 0xBB, 0xBF]),
        .init("n_structure_bom_twice", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x31]),
        .init("n_structure_utf16_bom", [0xFE, 0xFF, 0x00, 0x31]),
        .init("n_number_leading_zero", "01"),
        .init("n_number_neg_int_starting_with_zero", "-012"),
        .init("n_number_minus_alone", "-"),
        .init("n_number_minus_space", "- 1"),
        .init("n_number_real_without_fractional_part", "1."),
        .init("n_number_starting_with_dot", ".1"),
        .init("n_number_exponent_without_digits", "1e"),
        .init("n_number_exponent_sign_only", "1e+"),
        .init("n_number_fraction_then_e", "0.e1"),
        .init("n_number_plus_one", "+1"),
        .init("n_number_hex", "0x1"),
        .init("n_number_hex_upper", "0X1F"),
        .init("n_number_NaN", "NaN"),
        .init("n_number_minus_NaN", "-NaN"),
        .init("n_number_Infinity", "Infinity"),
        .init("n_number_minus_Infinity", "-Infinity"),
        .init("n_number_infinity_lowercase", "[inf]"),
        .init("n_number_huge_exp_overflows", "1e400"),
        .init("n_number_huge_negative_overflows", "-1e400"),
        .init("n_number_with_alpha", "1.2a"),
        .init("n_number_double_minus", "--1"),
        .init("n_number_two_dots", "1.2.3"),
        .init("n_array_trailing_comma_after_numbers", "[1,2,]"),
        .init("n_number_fullwidth_digit", "[\u{FF11}]"),
        .init("n_string_unescaped_tab", "\"\t\""),
        .init("n_string_unescaped_newline", "\"a\nb\""),
        .init("n_string_unescaped_ctrl_char", [0x22, 0x61, 0x00, 0x61, 0x22]),
        .init("n_string_unescaped_0x1f", [0x22, 0x1F, 0x22]),
        .init("n_string_escape_x", #""\x41""#),
        .init("n_string_escape_apostrophe", #""\'""#),
        .init("n_string_escape_uppercase_U", #""\U0041""#),
        .init("n_string_escape_short_u", #""\u00""#),
        .init("n_string_escape_bad_hex", #""\u00G0""#),
        .init("n_string_backslash_at_end", #""\"#),
        .init("n_string_escaped_non_ascii", [0x22, 0x5C, 0xC3, 0xA9, 0x22]),
        .init("n_string_single_quotes", "'a'"),
        .init("n_string_unterminated", #""abc"#),
        .init("n_string_no_quotes_key", #"{a:1}"#),
        .init("i_string_lone_high_surrogate", #""\ud800""#),
        .init("i_string_lone_low_surrogate", #""\udc00""#),
        .init("i_string_inverted_surrogates", #""\udc00\ud800""#),
        .init("i_string_high_surrogate_then_bmp", #""\ud83dA""#),
        .init("i_string_two_high_surrogates", #""\ud83d\ud83d""#),
        .init("n_string_invalid_utf8_byte_ff", [0x22, 0xFF, 0x22]),
        .init("n_string_lone_continuation_byte", [0x22, 0x80, 0x22]),
        .init("n_string_truncated_utf8", [0x22, 0xE2, 0x82, 0x22]),
        .init("n_string_overlong_slash", [0x22, 0xC0, 0xAF, 0x22]),
        .init("n_string_overlong_3_byte_nul", [0x22, 0xE0, 0x80, 0x80, 0x22]),
        .init("n_string_overlong_4_byte", [0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22]),
        .init("n_string_utf8_encoded_surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22]),
        .init("n_string_above_U+10FFFF", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]),
        .init("n_string_invalid_utf8_after_escape", [0x22, 0x5C, 0x6E, 0xFF, 0x22]),
        .init("n_string_invalid_utf8_in_key", [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]),
        .init("n_structure_invalid_utf8_outside_string", [0x5B, 0xFF, 0x5D]),
        .init("n_array_trailing_comma", "[1,]"),
        .init("n_array_leading_comma", "[,1]"),
        .init("n_array_double_comma", "[1,,2]"),
        .init("n_array_missing_comma", "[1 2]"),
        .init("n_array_unclosed", "[1"),
        .init("n_array_unclosed_trailing_comma", "[1,"),
        .init("n_array_colon_instead_of_comma", #"["": 1]"#),
        .init("n_object_trailing_comma", #"{"a":1,}"#),
        .init("n_object_missing_colon", #"{"a" 1}"#),
        .init("n_object_missing_value", #"{"a":}"#),
        .init("n_object_non_string_key", "{1:1}"),
        .init("n_object_single_quoted_key", "{'a':1}"),
        .init("n_object_unclosed", #"{"a":1"#),
        .init("n_object_double_colon", #"{"a"::1}"#),
        .init("n_object_comma_instead_of_colon", #"{"a", 1}"#),
        .init("n_structure_comment_line", "[1] // comment"),
        .init("n_structure_comment_block", "[1/* c */]"),
        .init("n_structure_hash_comment", "# c\n1"),
        .init("n_structure_two_values", "[1] [2]"),
        .init("n_structure_two_scalars", "1 2"),
        .init("n_structure_trailing_garbage", "{}x"),
        .init("n_structure_unclosed_object_in_array", "[{]"),
        .init("n_structure_mismatched_brackets", "[}"),
        .init("n_structure_lone_close", "]"),
        .init("n_literal_true_capitalised", "True"),
        .init("n_literal_truncated_true", "tru"),
        .init("n_literal_nul", "nul"),
        .init("n_literal_null_with_suffix", "nullx"),
        .init("n_literal_undefined", "undefined"),
        .init("n_whitespace_form_feed", "\u{0C}[1]"),
        .init("n_whitespace_vertical_tab", "[\u{0B}1]"),
        .init("n_whitespace_nbsp", "[\u{A0}1]"),
        .init("n_whitespace_u2028", "[\u{2028}1]"),
        .init("n_structure_nul_after_value", [0x31, 0x00]),
    ]

    @Test(arguments: accepted)
    func acceptsValidDocument(_ example: Accept) throws {
        let value = try JSONValue(parsing: Data(example.bytes))
        #expect(value == example.expected)
        // -0 keeps its sign through the parser even though -0 == 0.
        if case .number(let n) = example.expected, n == 0 {
            #expect(value.doubleValue?.sign == n.sign)
        }
    }

    @Test(arguments: rejected)
    func rejectsInvalidDocument(_ example: Reject) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: Data(example.bytes)) }
    }

    @Test func nestingUpToTheLimitParsesAndOneMoreIsAnError() throws {
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var value = try JSONValue(parsing: deepest)
        var depth = 0
        while case .array(let elements) = value, let first = elements.first { value = first; depth += 1 }
        #expect(depth == 511)

        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        do {
            _ = try JSONValue(parsing: tooDeep)
            Issue.record("expected a depth error")
        } catch {
            #expect(error.message == "nesting deeper than 512 levels")
            #expect(error.column == 513)
        }
        let objects = String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: objects) }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "[[1]]", maxDepth: 1) }
    }

    @Test func numbersRoundTripThroughText() throws {
        let numbers: [Double] = [
            0.1, 0.2, 0.30000000000000004, 1 / 3, 2.675, 1e21, 1e-7, 123456789.125, 9_007_199_254_740_992,
            -1.5e-300, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude, 1e15, 1e15 - 1, -1e16,
        ]
        for n in numbers {
            let text = JSONValue.number(n).serialized()
            #expect(try JSONValue(parsing: text).doubleValue == n, "\(n) wrote \(text)")
        }
    }

    @Test func implementationDefinedChoices() throws {
        // Duplicate keys: the last one wins, as in most parsers (and Python's json).
        #expect(try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#) == ["a": 3, "b": 2])
        // Numbers beyond Double's range are an error, not infinity; underflow gives 0.
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "[1.5e999]") }
        #expect(try JSONValue(parsing: "1e-999") == 0)
        // Lone surrogate escapes cannot be held in a Swift String: refused, not replaced.
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"["\uDFAA"]"#) }
        // A UTF-8 byte-order mark before the document is skipped (RFC 8259 §8.1 allows it).
        #expect(try JSONValue(parsing: Data([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))) == [1])
    }
}

extension JSONConformanceTests {
    /// Swift `String` equality is canonical equivalence, so member names that differ only in
    /// Unicode normalization are one name (documented on `JSONValue`); the text of a string
    /// value keeps its own code points.
    @Test func namesThatAreCanonicallyEquivalentAreOneMember() throws {
        let value = try JSONValue(parsing: "{\"\u{E9}\":1,\"e\u{301}\":2}")
        #expect(value.objectValue?.count == 1)
        #expect(value.objectValue?.values.first == 2)
        let decomposed = try JSONValue(parsing: "\"e\u{301}\"")
        #expect(decomposed.stringValue?.unicodeScalars.count == 2)
        #expect(decomposed.serialized() == "\"e\u{301}\"")
    }
}
