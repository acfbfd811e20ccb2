import OrchJSON

/// Checks a model's answer for a receipt worker against the receipt itself, so a worker can
/// fall back to its rules when the model is wrong. Each check returns the accepted value or
/// the reason it was refused (a sentence for the step's `fallback.reason`).
public enum ModelAnswerCheck {
    /// An item's `quantity × unit_price` may differ from its `total` by this much (rounding).
    public static let tolerance = 0.02

    /// Line items from a model: each needs a description, a quantity > 0 and a total that is
    /// printed in `text`, with `quantity × unit_price ≈ total`. When the rules' items add up
    /// to the printed subtotal, the model's must too. `rules` is the rules' output
    /// (`ParsedReceipt.json`).
    public static func items(_ answer: JSONValue, text: String, rules: JSONValue) -> Result<[LineItem], Refusal> {
        guard let list = answer["items"]?.arrayValue else { return .failure(Refusal("the answer has no 'items' list")) }
        guard !list.isEmpty else { return .failure(Refusal("the answer lists no items")) }
        let printed = printedAmounts(text)
        var items: [LineItem] = []
        for (index, entry) in list.enumerated() {
            guard let description = entry["description"]?.stringValue, !description.isEmpty,
                  let quantity = entry["quantity"]?.doubleValue, let total = entry["total"]?.doubleValue else {
                return .failure(Refusal("items[\(index)] lacks a description, quantity or total: \(entry.serialized())"))
            }
            let unitPrice = entry["unit_price"]?.doubleValue ?? total / max(quantity, 1)
            guard quantity > 0 else { return .failure(Refusal("items[\(index)] '\(description)' has quantity \(quantity)")) }
            guard printed.contains(where: { abs($0 - total) < 0.005 }) else {
                return .failure(Refusal("items[\(index)] '\(description)': the total \(total) is not printed on the receipt"))
            }
            guard abs(quantity * unitPrice - total) <= tolerance else {
                return .failure(Refusal("items[\(index)] '\(description)': \(quantity) × \(unitPrice) is not the total \(total)"))
            }
            items.append(LineItem(description: description, quantity: quantity, unitPrice: unitPrice, total: total))
        }
        let ruleTotals = (rules["items"]?.arrayValue ?? []).compactMap { $0["total"]?.doubleValue }
        if let subtotal = rules["subtotal"]?.doubleValue, abs(ruleTotals.reduce(0, +) - subtotal) <= tolerance {
            let sum = items.map(\.total).reduce(0, +)
            guard abs(sum - subtotal) <= tolerance else {
                return .failure(Refusal("the items add up to \(rounded(sum)), the receipt's subtotal is \(subtotal)"))
            }
        }
        return .success(items)
    }

    /// Categories from a model's `{"items": [{"item", "kind"}]}`: one per item, in the items'
    /// order (each `item` names the receipt's item: `textSimilarity` ≥ 0.8, so case, spacing and
    /// about one slip in five characters pass), each a known category.
    public static func categories(_ answer: JSONValue, descriptions: [String], allowed: [String]) -> Result<[String], Refusal> {
        guard let list = answer["items"]?.arrayValue else { return .failure(Refusal("the answer has no 'items' list")) }
        guard list.count == descriptions.count else {
            return .failure(Refusal("the answer gives \(list.count) items for \(descriptions.count)"))
        }
        var names: [String] = []
        for (index, (entry, description)) in zip(list, descriptions).enumerated() {
            guard let kind = entry["kind"]?.stringValue?.lowercased(), allowed.contains(kind) else {
                return .failure(Refusal("items[\(index)]: '\(entry["kind"]?.stringValue ?? "")' is not a category (\(allowed.joined(separator: ", ")))"))
            }
            let named = entry["item"]?.stringValue ?? ""
            guard textSimilarity(named, description) >= 0.8 else {
                return .failure(Refusal("items[\(index)] '\(named)' is not the receipt's item '\(description)': the answer must keep the items' order"))
            }
            names.append(kind)
        }
        return .success(names)
    }

    /// Every amount with two decimals printed in `text`, OCR misreads undone (`S.00` is 5.00).
    static func printedAmounts(_ text: String) -> [Double] {
        text.split(whereSeparator: { $0.isWhitespace }).compactMap { OCRNumber.price($0.trimmingSuffix) }
    }

    private static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    /// Why an answer was refused.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
        public var description: String { reason }
    }
}

extension Substring {
    /// The token without a trailing tax flag or punctuation glued to a price (`4.99A`, `4.99,`);
    /// letters OCR reads for digits (`1O.5O`) stay.
    fileprivate var trimmingSuffix: Substring {
        var token = self
        while let last = token.last, !last.isASCIIDigit, !"OoSsIl|".contains(last), token.count > 1 { token = token.dropLast() }
        return token
    }
}
