/// The `line_item_parser` worker: finds the purchased items in a receipt's OCR text.
///
/// A line is an item when it ends in a price (a tax flag or currency code may follow it). Its
/// quantity is read from, in order: `3 @ 0.40` or `0.45 kg @ 3.99/kg`, `2 x 1.99` before the
/// total, `2x Bagel` (prefix), `Bagel x2` (suffix), a leading quantity column, a unit price
/// before the total (`Cola 1.99 3.98` means 2), else 1. Header, payment, footer and discount
/// lines are skipped; subtotal, tax and total lines are reported separately. A
/// description-only line followed by a line with no description (`Bananas` / `3 @ 0.40 1.20`)
/// names that item; a `QTY 2 @ 7.99` line under an item sets its quantity. See
/// docs/receipts.md.
public struct LineItemParser: Sendable {
    public init() {}

    public func parse(_ text: String) -> ParsedReceipt {
        let lines = text.split(whereSeparator: \.isNewline).map(ReceiptLine.init)
        let reader = ItemLineReader(quantityColumn: Self.hasQuantityColumn(lines))
        var receipt = ParsedReceipt(items: [])
        var pendingDescription: String?
        var previous: ItemLineReader.Read?  // the item read from the line just before
        var subtotalSeen = false
        // Once a subtotal or tax amount follows the items, the rest is summary, payment and
        // footer: no more items (a `Tip`, `To Pay` or `CASHTENDERED` line is not a purchase).
        var itemsEnded = false
        func readTax(_ line: ReceiptLine) {
            let amount = lastPrice(line.tokens)
            receipt.tax = amount ?? receipt.tax
            itemsEnded = itemsEnded || (amount != nil && !receipt.items.isEmpty)
        }
        for line in lines {
            let before = previous
            previous = nil
            // "QTY 2 @ 7.99" under "PEANUT BUTTER 15.98": the quantity of the item above.
            if let before, before.item.quantity == 1, let detail = ItemLineReader.quantityDetail(line.tokens),
                abs(detail.quantity * detail.unitPrice - before.item.total) < 0.005, !receipt.items.isEmpty
            {
                receipt.items[receipt.items.count - 1].quantity = detail.quantity
                receipt.items[receipt.items.count - 1].unitPrice = detail.unitPrice
                continue
            }
            switch line.kind {
            case .skip, .adjustment:
                pendingDescription = nil
            case .subtotal:
                let amount = lastPrice(line.tokens)
                receipt.subtotal = amount ?? receipt.subtotal
                subtotalSeen = true
                itemsEnded = itemsEnded || (amount != nil && !receipt.items.isEmpty)
            case .tax:
                readTax(line)
            case .likelyTax where subtotalSeen:
                readTax(line)
            case .total:
                receipt.total = lastPrice(line.tokens) ?? receipt.total
            case .candidate, .likelyTax:
                if itemsEnded { continue }
                guard var read = reader.read(line.tokens) else {
                    let words = reader.cleanDescription(line.tokens[...])
                    if !words.isEmpty { pendingDescription = words }
                    continue
                }
                if read.item.description.isEmpty {
                    if let words = before?.wordsIfNotPriced {
                        // "A4 Paper 500" / "2 @ 6.99 ea 13.98": the line above was a description
                        // whose last number was taken for a price that lost its decimal point.
                        receipt.items.removeLast()
                        read.item.description = words
                    } else if let pendingDescription {
                        read.item.description = pendingDescription
                    } else {
                        continue
                    }
                }
                // "Net Sales 41.96": an unlabelled subtotal, the sum of the items above it.
                if receipt.items.count >= 2, read.item.quantity == 1,
                    abs(receipt.items.map(\.total).reduce(0, +) - read.item.total) < 0.005
                {
                    receipt.subtotal = read.item.total
                    subtotalSeen = true
                    continue
                }
                receipt.items.append(read.item)
                pendingDescription = nil
                previous = read
            }
        }
        return receipt
    }

    private func lastPrice(_ tokens: [Substring]) -> Double? {
        var rest = tokens[...]
        return ItemLineReader.takeTotal(&rest)?.total
    }

    /// Whether item lines start with a quantity column: a header that begins with the quantity
    /// (`QTY ITEM PRICE TOTAL`), or a number leading at least 3 and two thirds of the priced
    /// lines. Elsewhere a leading whole number is part of the name (`3 Musketeers 1.29`) unless
    /// a unit price confirms it.
    static func hasQuantityColumn(_ lines: [ReceiptLine]) -> Bool {
        let header = lines.contains { line in
            let words = line.tokens.map { $0.lowercased().filter(\.isLetter) }.filter { !$0.isEmpty }
            return words.count >= 2 && ["qty", "quantity"].contains(words[0])
                && line.tokens.allSatisfy { !$0.contains(where: \.isASCIIDigit) }
        }
        if header { return true }
        let priced = lines.filter { line in
            var rest = line.tokens[...]
            return line.kind == .candidate && ItemLineReader.takeTotal(&rest) != nil && !rest.isEmpty
        }
        let leading = priced.filter { line in
            line.tokens.count >= 3 && OCRNumber.quantity(line.tokens[0]) != nil && line.tokens.dropFirst().contains { $0.contains(where: \.isLetter) }
        }
        return leading.count >= 3 && leading.count * 3 >= priced.count * 2
    }
}
