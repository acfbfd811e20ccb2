import OrchJSON

/// `compute_item_statistics(items)`: count, totals, average and a per-category breakdown.
struct ComputeItemStatisticsArguments: FunctionArguments {
    var items: ItemList

    static let schema: JSONValue = [
        "type": "object",
        "required": ["items"],
        "additionalProperties": false,
        "properties": ["items": ItemList.schema],
    ]

    static let description = "Statistics of line items: {count, total_amount, total_quantity, avg_amount, categories: {name: {count, total}}}; items without a category count as 'uncategorized'"

    struct CategoryTotals: Encodable, Equatable {
        var count: Int
        var total: Double
    }

    struct Result: Encodable {
        var count: Int
        var totalAmount: Double
        var totalQuantity: Double
        var avgAmount: Double
        var categories: [String: CategoryTotals]

        private enum CodingKeys: String, CodingKey {
            case count, totalAmount = "total_amount", totalQuantity = "total_quantity", avgAmount = "avg_amount", categories
        }
    }

    func callAsFunction() -> Result {
        let items = items.items
        let totalAmount = items.reduce(0) { $0 + $1.number("total") }
        var categories: [String: CategoryTotals] = [:]
        for item in items {
            let name = item["category"]?.stringValue ?? "uncategorized"
            categories[name, default: CategoryTotals(count: 0, total: 0)].count += 1
            categories[name]?.total += item.number("total")
        }
        // Unlike the seed, category totals are rounded too, so sums like 0.1 + 0.2 read 0.3.
        categories = categories.mapValues { CategoryTotals(count: $0.count, total: $0.total.roundedLikePython()) }
        return Result(
            count: items.count,
            totalAmount: totalAmount.roundedLikePython(),
            totalQuantity: items.reduce(0) { $0 + $1.number("quantity") },
            avgAmount: items.isEmpty ? 0 : (totalAmount / Double(items.count)).roundedLikePython(),
            categories: categories)
    }
}
