/// Reads one priced receipt line into an item: the total at the end, then the quantity and
/// unit price from the first layout that fits, then the description.
struct ItemLineReader {
    /// An item and, when its total was a bare number (`NOTEBOOK 299`), all of the line's words:
    /// if the next line is a description-less `2 @ 6.99 13.98`, this line was a description
    /// ("A4 Paper 500").
    struct Read {
        var item: LineItem
        var wordsIfNotPriced: String?
    }

    /// The receipt prints a quantity column (see `LineItemParser.hasQuantityColumn`).
    var quantityColumn: Bool

    /// The item on a line that ends in a price; its description may be empty (two-line items).
    func read(_ tokens: [Substring]) -> Read? {
        var rest = tokens[...]
        guard let (total, bare) = Self.takeTotal(&rest) else { return nil }
        return Read(item: item(rest, total: total), wordsIfNotPriced: bare ? cleanDescription(tokens[...]) : nil)
    }

    private func item(_ rest: ArraySlice<Substring>, total: Double) -> LineItem {
        if let item = atPrice(rest, total: total) ?? labelledQuantity(rest, total: total) ?? timesPrice(rest, total: total) ?? prefixQuantity(rest, total: total)
            ?? suffixQuantity(rest, total: total) ?? leadingQuantity(rest, total: total) ?? unitPriceColumn(rest, total: total)
        {
            return item
        }
        return LineItem(description: cleanDescription(rest), quantity: 1, unitPrice: total, total: total)
    }

    /// `3 @ 0.40`, `2 @ 1.99 ea`, `0.45 kg @ 3.99/kg` (an unreadable unit price is worked out
    /// from the total).
    private func atPrice(_ rest: ArraySlice<Substring>, total: Double) -> LineItem? {
        guard let at = rest.lastIndex(of: "@"), at > rest.startIndex else { return nil }
        let after = at + 1 < rest.endIndex ? rest[at + 1] : nil
        // "5@CT" is a misread name, not a quantity at a price.
        if let after, !after.contains(where: \.isASCIIDigit) { return nil }
        let printed = after.flatMap { OCRNumber.price($0.prefix { $0 != "/" }, decimals: 2...3) }
        if at - 1 > rest.startIndex, Self.isWeightUnit(rest[at - 1]), let weight = OCRNumber.quantity(rest[at - 2]) {
            return LineItem(description: cleanDescription(rest[..<(at - 2)]), quantity: weight, unitPrice: printed ?? unitPrice(total, weight), total: total)
        }
        guard let quantity = OCRNumber.quantity(rest[at - 1]) else { return nil }
        return LineItem(description: cleanDescription(rest[..<(at - 1)]), quantity: quantity, unitPrice: printed ?? unitPrice(total, quantity), total: total)
    }

    /// `Wax Paper Qty 2 6.98`, `Qty: 2`: a labelled quantity after the name.
    private func labelledQuantity(_ rest: ArraySlice<Substring>, total: Double) -> LineItem? {
        guard let label = rest.indices.first(where: { $0 + 1 < rest.endIndex && ReceiptLine.isQuantityLabel(rest[$0]) && Self.isWholeNumber(rest[$0 + 1]) }),
            let quantity = Double(rest[label + 1]), quantity > 0
        else { return nil }
        return LineItem(description: cleanDescription(rest[..<label]), quantity: quantity, unitPrice: unitPrice(total, quantity), total: total)
    }

    /// `2 x 1.99`, `2x 1.99`, `2x$1.99` before the total.
    private func timesPrice(_ rest: ArraySlice<Substring>, total: Double) -> LineItem? {
        for index in rest.indices {
            var quantity: Double?
            var unit: Double?
            if let match = rest[index].wholeMatch(of: /(\d{1,3})[xX×](.*)/), let count = Double(match.1), count > 0 {
                quantity = count
                unit = match.2.isEmpty ? (index + 1 < rest.endIndex ? OCRNumber.price(rest[index + 1]) : nil) : OCRNumber.price(match.2)
            } else if index + 2 < rest.endIndex, Self.isWholeNumber(rest[index]), Self.isTimes(rest[index + 1]) {
                quantity = Double(rest[index])
                unit = OCRNumber.price(rest[index + 2])
            } else if index + 1 < rest.endIndex, Self.isWholeNumber(rest[index]),
                let match = rest[index + 1].wholeMatch(of: /[xX×](.+)/), let price = OCRNumber.price(match.1)
            {
                quantity = Double(rest[index])  // "3 x$1.29"
                unit = price
            }
            guard let quantity, quantity > 0, let unit else { continue }
            return LineItem(description: cleanDescription(rest[..<index]), quantity: quantity, unitPrice: unit, total: total)
        }
        return nil
    }

    /// `2x Bagel`, `2xBagel`, `2 x Bagel`.
    private func prefixQuantity(_ rest: ArraySlice<Substring>, total: Double) -> LineItem? {
        guard let first = rest.first else { return nil }
        if let match = first.wholeMatch(of: /(\d{1,3})[xX×]\W*(.*)/), let quantity = Double(match.1), quantity > 0 {
            let description = match.2.isEmpty ? Array(rest.dropFirst()) : [match.2] + rest.dropFirst()
            return LineItem(description: cleanDescription(description[...]), quantity: quantity, unitPrice: unitPrice(total, quantity), total: total)
        }
        if rest.count >= 3, Self.isWholeNumber(first), let quantity = Double(first), quantity > 0, Self.isTimes(rest[rest.startIndex + 1]) {
            return LineItem(description: cleanDescription(rest.dropFirst(2)), quantity: quantity, unitPrice: unitPrice(total, quantity), total: total)
        }
        return nil
    }

    /// `Bagel x2`, `Notesx2` (the description ends at the quantity; leader filler may follow).
    private func suffixQuantity(_ rest: ArraySlice<Substring>, total: Double) -> LineItem? {
        for index in rest.indices {
            guard let match = rest[index].wholeMatch(of: /(.*?)[xX×](\d{1,3})/), let quantity = Double(match.2), quantity > 0,
                index > rest.startIndex || !match.1.isEmpty
            else { continue }
            let description = Array(rest[..<index]) + (match.1.isEmpty ? [] : [match.1])
            return LineItem(description: cleanDescription(description[...]), quantity: quantity, unitPrice: unitPrice(total, quantity), total: total)
        }
        return nil
    }

    /// `2 Bagel 2.50 5.00`, `12.020 DIESEL 46.87`, `1 3 Musketeers 1.29`: a leading number is
    /// the quantity when the receipt has a quantity column, when it has decimals (a weight or
    /// volume), or when a unit price before the total confirms it.
    private func leadingQuantity(_ rest: ArraySlice<Substring>, total: Double) -> LineItem? {
        guard rest.count >= 2, let quantity = OCRNumber.quantity(rest[rest.startIndex]) else { return nil }
        var description = rest.dropFirst()
        var printed: Double?
        if let last = description.last, let price = OCRNumber.price(last, decimals: 2...3) {
            printed = price
            description = description.dropLast()
        } else if let last = description.last, (3...4).contains(last.count), last.allSatisfy(\.isASCIIDigit),
            let cents = Double(last), abs(cents / 100 * quantity - total) <= total / 100
        {
            // "12.020 DIESEL 390 46.87": a unit price that lost its decimal point, as the total
            // confirms; its exact value is worked out from the total.
            description = description.dropLast()
        }
        let confirmed = printed.map { abs($0 * quantity - total) < 0.005 } ?? false
        let decimal = rest[rest.startIndex].contains { $0 == "." || $0 == "," }
        guard description.contains(where: { $0.contains(where: \.isLetter) }), quantityColumn || decimal || confirmed else { return nil }
        return LineItem(description: cleanDescription(description), quantity: quantity, unitPrice: printed ?? unitPrice(total, quantity), total: total)
    }

    /// `Cola 1.99 3.98`: an unlabeled unit price whose multiple is the total; a whole number
    /// just before it equal to that multiple is a quantity column (`TOOTHBRUSH 2 2.99 5.98`).
    private func unitPriceColumn(_ rest: ArraySlice<Substring>, total: Double) -> LineItem? {
        guard let last = rest.last, let unit = OCRNumber.price(last), unit > 0 else { return nil }
        let quantity = (total / unit).rounded()
        guard quantity >= 1, abs(quantity * unit - total) < 0.005 else { return nil }
        var description = rest.dropLast()
        if let column = description.last, Self.isWholeNumber(column), Double(column) == quantity {
            description = description.dropLast()
        }
        return LineItem(description: cleanDescription(description), quantity: quantity, unitPrice: unit, total: total)
    }

    private func unitPrice(_ total: Double, _ quantity: Double) -> Double {
        let places = quantity.rounded() == quantity ? 100.0 : 1000.0
        return (total / quantity * places).rounded() / places
    }

    /// The words of a description: stops at dot-leader filler, then drops trailing tokens
    /// that are speckle noise (see `isNoise`) and leading tokens without letters, except a
    /// number right before a word (`3 Musketeers`, `4 Cheese Pizza`).
    func cleanDescription(_ tokens: ArraySlice<Substring>) -> String {
        // Glued tokens ("ESPRESSO.x2" → "ESPRESSO.") can still carry punctuation at an end.
        var words = tokens.prefix { !ReceiptLine.isLeader($0) && $0 != "@" }.compactMap(ReceiptLine.trimJunk)
        while let last = words.last, isNoise(last) { words.removeLast() }
        while let first = words.first, !first.contains(where: \.isLetter),
            !(Self.isWholeNumber(first) && words.count > 1 && words[1].contains(where: \.isLetter))
        {
            words.removeFirst()
        }
        return words.joined(separator: " ")
    }

    /// Speckle noise at the end of a description: a lone digit or punctuation; one or two
    /// letters not all capitals (`oe`, `a`, `Se`), or `OO` (dots read as o's). Kept: numbers of
    /// two or more digits and tokens mixing digits and letters (`A4 Paper 500`, `Coke 2L`),
    /// capitals (`AA` in "Batteries AA").
    private func isNoise(_ token: Substring) -> Bool {
        guard token.contains(where: \.isLetter) else { return !(token.count >= 2 && token.allSatisfy(\.isASCIIDigit)) }
        if token.contains(where: \.isASCIIDigit) { return false }
        return token.count <= 2 && (!token.allSatisfy(\.isUppercase) || token.allSatisfy { $0 == "O" })
    }

    /// `QTY 2 @ 7.99` or `2 @ 7.99 ea`: a quantity at a unit price and no other amount.
    static func quantityDetail(_ tokens: [Substring]) -> (quantity: Double, unitPrice: Double)? {
        // "QTY3 @ 1,29": Tesseract may glue the label to the number.
        guard let at = tokens.firstIndex(of: "@"), at > 0, at + 1 < tokens.count,
            let quantity = OCRNumber.quantity(tokens[at - 1]) ?? tokens[at - 1].wholeMatch(of: /(?i:qty)(\d{1,3})/).flatMap({ Double($0.1) }),
            let unit = OCRNumber.price(tokens[at + 1], decimals: 2...3)
        else { return nil }
        let others = tokens[..<(at - 1)] + tokens[(at + 2)...]
        guard others.allSatisfy({ !$0.contains(where: \.isASCIIDigit) }) else { return nil }
        return (quantity, unit)
    }

    /// Removes the line's total from the end of `tokens`, with a tax flag or currency code after
    /// it (`3.98 T`, `1.49 EUR`, `$10.77N`): a price; or where Tesseract lost the decimal
    /// point, `5 00` or a bare `299` / `1299` after a word (read as cents; `bare` is then true).
    static func takeTotal(_ tokens: inout ArraySlice<Substring>) -> (total: Double, bare: Bool)? {
        if tokens.count >= 2, let last = tokens.last, isFlagOrCurrency(last), OCRNumber.price(tokens[tokens.endIndex - 2]) != nil {
            tokens.removeLast()
        }
        guard let last = tokens.last else { return nil }
        if let price = OCRNumber.price(last) ?? flaggedPrice(last) {
            tokens.removeLast()
            return (price, false)
        }
        if (3...4).contains(last.count), last.allSatisfy(\.isASCIIDigit), let cents = Double(last),
            tokens.dropLast().contains(where: { $0.contains(where: \.isLetter) })
        {
            tokens.removeLast()
            return (cents / 100, true)
        }
        let count = tokens.count
        if count >= 2, last.count == 2, last.allSatisfy(\.isASCIIDigit) {
            let whole = tokens[tokens.endIndex - 2]
            if (1...4).contains(whole.count), whole.allSatisfy(\.isASCIIDigit), let price = Double("\(whole).\(last)") {
                tokens.removeLast(2)
                return (price, false)
            }
        }
        return nil
    }

    /// A tax flag (`T`, `F`, `N`: one letter) or an ISO currency code printed after an amount.
    private static func isFlagOrCurrency(_ token: Substring) -> Bool {
        (token.count == 1 && token.allSatisfy(\.isLetter)) || currencyCodes.contains(token.uppercased())
    }

    private static let currencyCodes: Set<String> = [
        "EUR", "USD", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK", "INR", "MXN", "ZAR",
    ]

    /// `$10.77N`, `3.79.N`: a price with a capital tax flag glued on (not a digit look-alike
    /// such as `O`).
    private static func flaggedPrice(_ token: Substring) -> Double? {
        guard let flag = token.last, flag.isUppercase, !"OSIL".contains(flag), let price = ReceiptLine.trimJunk(token.dropLast()) else { return nil }
        return OCRNumber.price(price)
    }

    /// `kg`, `g`, `lb`, `lbs`, `oz`, also as Tesseract reads `lb`: `1b`, `Ib`, `|b`.
    private static func isWeightUnit(_ token: Substring) -> Bool {
        let unit = String(token.lowercased().map { "1i|".contains($0) ? "l" : $0 })
        return ["kg", "g", "lb", "lbs", "oz"].contains(unit)
    }

    private static func isWholeNumber(_ token: Substring) -> Bool {
        (1...3).contains(token.count) && token.allSatisfy(\.isASCIIDigit)
    }

    /// `x`, `X`, `×` standing alone between a quantity and what it multiplies (`Xx` as read).
    private static func isTimes(_ token: Substring) -> Bool {
        !token.isEmpty && token.count <= 2 && token.allSatisfy { "xX×".contains($0) }
    }
}
