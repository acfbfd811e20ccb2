extension String {
    /// Whether any character is whitespace (`Character.isWhitespace`). ASCII text, which ids and
    /// references nearly always are, is read byte by byte: breaking a string into characters
    /// cost more than the rest of checking a step id.
    var containsWhitespace: Bool {
        if utf8.allSatisfy({ $0 < 0x80 }) {
            return utf8.contains { $0 == 0x20 || (0x09...0x0D).contains($0) }
        }
        return contains(where: \.isWhitespace)
    }
}
