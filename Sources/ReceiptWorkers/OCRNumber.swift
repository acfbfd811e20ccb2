/// Reads prices and quantities out of OCR tokens, undoing the usual misreads.
enum OCRNumber {
    /// A price such as `5.00`, `$5.00`, `5,00`, `37:51`, `S.00` or `1O.5O`: digits, one
    /// separator (`.`, `,` or `:`), then `decimals` digits. Letters Tesseract confuses with
    /// digits (O o → 0, S s → 5, I l | → 1) are read as digits when the token also holds a
    /// real digit, so a word like "SOS" never becomes a price.
    static func price(_ token: Substring, decimals: ClosedRange<Int> = 2...2) -> Double? {
        var body = token
        if body.first == "$" { body = body.dropFirst() }
        guard body.contains(where: \.isASCIIDigit),
            let separator = body.lastIndex(where: { $0 == "." || $0 == "," || $0 == ":" })
        else { return nil }
        let whole = body[..<separator]
        let fraction = body[body.index(after: separator)...]
        guard !whole.isEmpty, decimals.contains(fraction.count),
            let wholeDigits = digits(whole), let fractionDigits = digits(fraction)
        else { return nil }
        return Double("\(wholeDigits).\(fractionDigits)")
    }

    /// A quantity: `2`, `12.020`, or a lone `i`, `l`, `I` or `|` (how Tesseract often reads "1").
    static func quantity(_ token: Substring) -> Double? {
        if token == "i" || token == "l" || token == "I" || token == "|" { return 1 }
        let normalized = String(token.map { $0 == "," ? "." : $0 })
        guard normalized.first?.isASCIIDigit == true,
            normalized.allSatisfy({ $0.isASCIIDigit || $0 == "." }),
            normalized.filter({ $0 == "." }).count <= 1,
            let value = Double(normalized), value > 0, value < 10_000
        else { return nil }
        return value
    }

    /// The token with digit look-alikes replaced, or nil when something else is in it.
    private static func digits(_ text: Substring) -> String? {
        var out = ""
        for character in text {
            switch character {
            case "0"..."9": out.append(character)
            case "O", "o": out.append("0")
            case "S", "s": out.append("5")
            case "I", "l", "|": out.append("1")
            default: return nil
            }
        }
        return out
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
