import OrchJSON

/// `compute_item_statistics(items)`: count, totals, average and a per-category breakdown.
struct ComputeItemStatistics: ItemsFunction {
    static let name = "compute_item_statistics"
    static let description = "Statistics of line items: {count, total_amount, total_quantity, avg_amount, categories: {name: {count, total}}}; items without a category count as 'uncategorized'"

    var items: ItemList

    func callAsFunction() -> JSONValue {
        let items = items.items
        let totalAmount = items.reduce(0) { $0 + $1.number("total") }
        var categories: [String: (count: Int, total: Double)] = [:]
        for item in items {
            let name = item["category"]?.stringValue ?? "uncategorized"
            categories[name, default: (0, 0)].count += 1
            categories[name, default: (0, 0)].total += item.number("total")
        }
        return [
            "count": .number(Double(items.count)),
            "total_amount": .number(totalAmount.roundedLikePython()),
            "total_quantity": .number(items.reduce(0) { $0 + $1.number("quantity") }),
            "avg_amount": .number(items.isEmpty ? 0 : (totalAmount / Double(items.count)).roundedLikePython()),
            // Unlike the seed, category totals are rounded too, so sums like 0.1 + 0.2 read 0.3.
            "categories": .object(categories.mapValues { ["count": .number(Double($0.count)), "total": .number($0.total.roundedLikePython())] }),
        ]
    }
}
