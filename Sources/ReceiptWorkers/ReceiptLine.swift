/// One line of OCR text split into tokens, with what kind of line it is.
///
/// Tokens lose the punctuation Tesseract sprinkles around words (`“`, `°`, `|`, `~`, lone dots
/// from speckles); a run of three or more dots, commas or colons (dot leaders) becomes the
/// token `…`; `@` always stands alone, so `2@3.49` reads like `2 @ 3.49`.
struct ReceiptLine {
    enum Kind: Equatable {
        /// Might be an item (or a description whose price is on the next line).
        case candidate
        /// Header, footer or payment line: store address, date, cashier, card, change, thanks.
        case skip
        /// A discount, coupon or savings line, or an amount printed with a leading minus: money
        /// off, not a purchase.
        case adjustment
        case subtotal, tax, total
        /// A three-letter first word one OCR letter from "tax" (`Jax 0.68`): the tax once a
        /// subtotal has been read, before that an item (`Wax 3.99`).
        case likelyTax
    }

    static let leader: Substring = "…"

    let tokens: [Substring]
    let kind: Kind

    init(_ raw: Substring) {
        tokens = Self.tokenize(raw)
        kind = Self.classify(raw: raw, tokens: tokens)
    }

    /// Whether `token` is dot-leader filler: the `…` marker, or dots that Tesseract read as
    /// letters (`ccc`, `eee`, `cece`).
    static func isLeader(_ token: Substring) -> Bool {
        token == leader || (token.count >= 3 && token.allSatisfy { $0 == "c" || $0 == "e" })
    }

    private static func tokenize(_ raw: Substring) -> [Substring] {
        var spaced = ""
        var run = 0
        func flushRun() {
            if run >= 3 { spaced += " \(leader) " } else if run > 0 { spaced += String(repeating: ".", count: run) }
            run = 0
        }
        for character in raw {
            if character == "." || character == "," || character == ":" || character == ";" {
                run += 1
                continue
            }
            flushRun()
            spaced += character == "@" ? " @ " : String(character)
        }
        flushRun()
        return spaced.split(whereSeparator: \.isWhitespace).compactMap { token in
            token == leader ? token : trimJunk(token)
        }
    }

    /// Drops leading characters other than letters, digits, `$` and `@`, and trailing ones
    /// other than letters, digits and `@`; nil when nothing is left.
    static func trimJunk(_ token: Substring) -> Substring? {
        let keep: (Character) -> Bool = { $0.isLetter || $0.isASCIIDigit || $0 == "@" }
        guard let first = token.firstIndex(where: { keep($0) || $0 == "$" }),
            let last = token.lastIndex(where: keep), first <= last
        else { return nil }
        return token[first...last]
    }

    private static func classify(raw: Substring, tokens: [Substring]) -> Kind {
        // Dates: 2024-12-01, 12/01/24, 26.12.2025 (dots only with a 4-digit year: "2.1.99" is a
        // misread price).
        if raw.contains(/\d{1,4}[-\/]\d{1,2}[-\/]\d{2,4}/) || raw.contains(/\d{1,2}[-\/.]\d{1,2}[-\/.]\d{4}/) { return .skip }
        // A number after `#` ends the line: a store or register number ("QUICKSTOP #0412").
        if raw.contains(/#\s*\d+\W*$/) { return .skip }
        let words = tokens.map { String($0.lowercased().filter(\.isLetter)) }.filter { !$0.isEmpty }
        guard let firstWord = words.first else { return .candidate }
        let pairs = zip(words, words.dropFirst() + [""])
        if pairs.contains(where: { $0 == "subtotal" || ($0 == "sub" && near($1, "total")) }) || words.contains(where: { near($0, "subtotal", by: 2) }) {
            return .subtotal
        }
        // Before totals: "Total Savings -2.25" is money off, not the total.
        if words.contains(where: adjustmentWords.contains) || raw.contains(/(^|\s)[-–—][$£€]?\d+[.,]\d{2}/) {
            return .adjustment
        }
        if words.contains(where: { ["tax", "vat", "gst", "hst", "pst", "qst", "salestax"].contains($0) }) { return .tax }
        if firstWord.count == 3 && near(firstWord, "tax") { return .likelyTax }
        // "TotaltoPay": Tesseract glues the words after "total".
        if words.contains(where: { ($0.count >= 4 && near($0, "total")) || $0.hasPrefix("total") || $0 == "balance" })
            || pairs.contains(where: { $0 == "amount" && $1 == "due" })
        {
            return .total
        }
        // "QTY" heads a quantity column; "Wax Paper Qty 2 6.98" is an item with its quantity.
        let labelsQuantity = zip(tokens, tokens.dropFirst()).contains { isQuantityLabel($0) && $1.allSatisfy(\.isASCIIDigit) }
        if words.contains(where: { word in
            (skipWords.contains(word) && !(labelsQuantity && word == "qty")) || (word.count >= 5 && fuzzySkipWords.contains { near(word, $0) })
        }) {
            return .skip
        }
        // "card" or "store" alone could be an item ("Greeting Card"); with a masked or long
        // number it is payment or header ("VISA ****1234", "Store #12 Reg 3").
        if words.contains(where: numberedWords.contains) && (raw.contains("*") || raw.contains("#") || raw.contains(/\d{4}/)) {
            return .skip
        }
        return .candidate
    }

    private static let skipWords: Set<String> = [
        "change", "cash", "tender", "tendered", "visa", "mastercard", "amex", "discover", "debit", "credit",
        "payment", "paid", "thank", "thanks", "cashier", "clerk", "register", "qty", "receipt", "approved",
        "auth", "approval", "items",
    ]
    /// `Qty`, `QTY`, `Quantity` (a colon after it is already split off).
    static func isQuantityLabel(_ token: Substring) -> Bool {
        ["qty", "quantity"].contains(token.lowercased())
    }

    /// Money off: such a line is never an item, even when it ends in a price.
    private static let adjustmentWords: Set<String> = [
        "discount", "coupon", "savings", "saving", "saved", "promo", "promotion", "rebate", "markdown",
    ]
    private static let numberedWords: Set<String> = ["card", "store", "reg", "terminal", "trans", "transaction", "order", "invoice", "tel"]
    /// Long words Tesseract may misread by a letter and still be recognised.
    private static let fuzzySkipWords = ["change", "cashier", "thank", "mastercard", "approved"]

    /// Whether `a` and `b` differ by at most `by` single-letter edits.
    static func near(_ a: String, _ b: String, by limit: Int = 1) -> Bool {
        if a == b { return true }
        let a = Array(a), b = Array(b)
        guard abs(a.count - b.count) <= limit else { return false }
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count] <= limit
    }
}
