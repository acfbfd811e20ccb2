import OrchJSON

/// `merge_items(items)`: sum, count and average of the items' totals.
struct MergeItemsArguments: FunctionArguments {
    var items: ItemList

    static let schema: JSONValue = [
        "type": "object",
        "required": ["items"],
        "additionalProperties": false,
        "properties": ["items": ItemList.schema],
    ]

    static let description = "Merge line items: returns {total_sum, count, avg_total}, sums of 'total' rounded to 2 places; no items gives zeros"

    struct Result: Encodable {
        var totalSum: Double
        var count: Int
        var avgTotal: Double

        private enum CodingKeys: String, CodingKey {
            case totalSum = "total_sum", count, avgTotal = "avg_total"
        }
    }

    func callAsFunction() -> Result {
        let items = items.items
        let sum = items.reduce(0) { $0 + $1.number("total") }
        let average = items.isEmpty ? 0 : sum / Double(items.count)
        return Result(totalSum: sum.roundedLikePython(), count: items.count, avgTotal: average.roundedLikePython())
    }
}
