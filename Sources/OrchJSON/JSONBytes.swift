/// Byte tests the parser and the writer share, eight bytes at a time (SWAR: the classic
/// tests for a zero byte in a word), so that plain text is skipped in strides.
enum JSONBytes {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether any of the eight bytes in `word` may be a control character, `"` or `\\`: the
    /// bytes that end a plain stretch of a string. A false positive (a byte ≥ 0x80 can
    /// give one) only costs a look byte by byte.
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let belowSpace = (word &- 0x2020_2020_2020_2020) & ~word & highs != 0
        return belowSpace || hasZeroByte(word ^ 0x2222_2222_2222_2222) || hasZeroByte(word ^ 0x5C5C_5C5C_5C5C_5C5C)
    }

    /// Whether all eight bytes are ASCII.
    static func isASCII(_ word: UInt64) -> Bool { word & highs == 0 }

    private static func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }
}
