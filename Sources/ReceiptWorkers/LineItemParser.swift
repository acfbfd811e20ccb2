/// The `line_item_parser` worker: finds the purchased items in a receipt's OCR text.
///
/// A line is an item when it ends in a price. Its quantity is read from, in order:
/// `3 @ 0.40` (quantity at unit price), `2x Bagel` (prefix), `Bagel x2` (suffix), a leading
/// quantity column (`2 Bagel 2.50 5.00`), a unit price before the total (`Cola 1.99 3.98`
/// means 2), else 1. Header, payment and footer lines are skipped; subtotal, tax and total
/// lines are reported separately. A description-only line followed by a line with no
/// description (`Bananas` / `3 @ 0.40 1.20`) names that item. See docs/receipts.md.
public struct LineItemParser: Sendable {
    public init() {}

    public func parse(_ text: String) -> ParsedReceipt {
        var receipt = ParsedReceipt(items: [])
        var pendingDescription: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = ReceiptLine(raw)
            switch line.kind {
            case .skip:
                pendingDescription = nil
            case .subtotal:
                receipt.subtotal = lastPrice(line.tokens) ?? receipt.subtotal
            case .tax:
                receipt.tax = lastPrice(line.tokens) ?? receipt.tax
            case .total:
                receipt.total = lastPrice(line.tokens) ?? receipt.total
            case .candidate:
                guard var item = item(from: line.tokens) else {
                    let words = cleanDescription(line.tokens[...])
                    if !words.isEmpty { pendingDescription = words }
                    continue
                }
                if item.description.isEmpty {
                    guard let pendingDescription else { continue }
                    item.description = pendingDescription
                }
                receipt.items.append(item)
                pendingDescription = nil
            }
        }
        return receipt
    }

    private func lastPrice(_ tokens: [Substring]) -> Double? {
        tokens.last.flatMap { OCRNumber.price($0) }
    }

    /// The item on a line that ends in a price; its description may be empty (two-line items).
    private func item(from tokens: [Substring]) -> LineItem? {
        var rest = tokens[...]
        guard let total = takeTotal(&rest) else { return nil }
        // 3 @ 0.40 (an unreadable unit price is worked out from the total)
        if let at = rest.lastIndex(of: "@"), at > rest.startIndex, let quantity = OCRNumber.quantity(rest[at - 1]) {
            let printed = at + 1 < rest.endIndex ? OCRNumber.price(rest[at + 1], decimals: 2...3) : nil
            return LineItem(description: cleanDescription(rest[..<(at - 1)]), quantity: quantity, unitPrice: printed ?? unitPrice(total, quantity), total: total)
        }
        // 2x Bagel, 2xBagel
        if let first = rest.first, let match = first.wholeMatch(of: /(\d{1,3})[xX×]\W*(.*)/), let quantity = Double(match.1), quantity > 0 {
            let description = match.2.isEmpty ? Array(rest.dropFirst()) : [match.2] + rest.dropFirst()
            return LineItem(description: cleanDescription(description[...]), quantity: quantity, unitPrice: unitPrice(total, quantity), total: total)
        }
        // Bagel x2, Notesx2 (the description ends at the quantity; leader filler may follow)
        for index in rest.indices {
            guard let match = rest[index].wholeMatch(of: /(.*?)[xX×](\d{1,3})/), let quantity = Double(match.2), quantity > 0,
                index > rest.startIndex || !match.1.isEmpty
            else { continue }
            let description = Array(rest[..<index]) + (match.1.isEmpty ? [] : [match.1])
            return LineItem(description: cleanDescription(description[...]), quantity: quantity, unitPrice: unitPrice(total, quantity), total: total)
        }
        // 2 Bagel 2.50 5.00, 12.020 DIESEL 46.87
        if rest.count >= 2, let quantity = OCRNumber.quantity(rest[rest.startIndex]),
            rest[rest.startIndex + 1].contains(where: \.isLetter)
        {
            var description = rest.dropFirst()
            var unit = unitPrice(total, quantity)
            if let last = description.last, let printed = OCRNumber.price(last, decimals: 2...3) {
                unit = printed
                description = description.dropLast()
            }
            return LineItem(description: cleanDescription(description), quantity: quantity, unitPrice: unit, total: total)
        }
        // Cola 1.99 3.98: an unlabeled unit price whose multiple is the total
        if let last = rest.last, let unit = OCRNumber.price(last), unit > 0 {
            let quantity = (total / unit).rounded()
            if quantity >= 1, abs(quantity * unit - total) < 0.005 {
                return LineItem(description: cleanDescription(rest.dropLast()), quantity: quantity, unitPrice: unit, total: total)
            }
        }
        return LineItem(description: cleanDescription(rest), quantity: 1, unitPrice: total, total: total)
    }

    /// Removes the line's total from the end of `tokens`: a price; or where Tesseract lost the
    /// decimal point, `5 00` or a bare `299` / `1299` after a word (read as cents).
    private func takeTotal(_ tokens: inout ArraySlice<Substring>) -> Double? {
        guard let last = tokens.last else { return nil }
        if let price = OCRNumber.price(last) {
            tokens.removeLast()
            return price
        }
        if (3...4).contains(last.count), last.allSatisfy(\.isASCIIDigit), let cents = Double(last),
            tokens.dropLast().contains(where: { $0.contains(where: \.isLetter) })
        {
            tokens.removeLast()
            return cents / 100
        }
        let count = tokens.count
        if count >= 2, last.count == 2, last.allSatisfy(\.isASCIIDigit) {
            let whole = tokens[tokens.endIndex - 2]
            if (1...4).contains(whole.count), whole.allSatisfy(\.isASCIIDigit), let price = Double("\(whole).\(last)") {
                tokens.removeLast(2)
                return price
            }
        }
        return nil
    }

    private func unitPrice(_ total: Double, _ quantity: Double) -> Double {
        let places = quantity.rounded() == quantity ? 100.0 : 1000.0
        return (total / quantity * places).rounded() / places
    }

    /// The words of a description: stops at dot-leader filler, then drops trailing tokens
    /// that are speckle noise (no letters; one or two letters not all capitals, like `oe`,
    /// `a`, `Se`; or `OO`, the dots Tesseract reads as o's; `AA` in "Batteries AA" stays).
    private func cleanDescription(_ tokens: ArraySlice<Substring>) -> String {
        // Glued tokens ("ESPRESSO.x2" → "ESPRESSO.") can still carry punctuation at an end.
        var words = tokens.prefix { !ReceiptLine.isLeader($0) && $0 != "@" }.compactMap(ReceiptLine.trimJunk)
        while let last = words.last, isNoise(last) { words.removeLast() }
        while let first = words.first, !first.contains(where: \.isLetter) { words.removeFirst() }
        return words.joined(separator: " ")
    }

    private func isNoise(_ token: Substring) -> Bool {
        !token.contains(where: \.isLetter)
            || (token.count <= 2 && (!token.allSatisfy(\.isUppercase) || token.allSatisfy { $0 == "O" }))
    }
}
