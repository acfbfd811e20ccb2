import OrchJSON

/// `merge_items(items)`: sum, count and average of the items' totals.
struct MergeItems: ItemsFunction {
    static let name = "merge_items"
    static let description = "Merge line items: returns {total_sum, count, avg_total}, sums of 'total' rounded to 2 places; no items gives zeros"

    var items: ItemList

    func callAsFunction() -> JSONValue {
        let items = items.items
        let sum = items.reduce(0) { $0 + $1.number("total") }
        let average = items.isEmpty ? 0 : sum / Double(items.count)
        return ["total_sum": .number(sum.roundedLikePython()), "count": .number(Double(items.count)), "avg_total": .number(average.roundedLikePython())]
    }
}
