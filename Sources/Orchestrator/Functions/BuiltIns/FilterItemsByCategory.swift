import OrchJSON

/// `filter_items_by_category(items, category)`: the items whose category matches, ignoring case.
struct FilterItemsByCategory: BuiltInFunction {
    static let name = "filter_items_by_category"
    static let description = "Filter line items by category (case-insensitive); returns the list of matching items unchanged"
    static let schema: JSONValue = [
        "type": "object",
        "required": ["items", "category"],
        "additionalProperties": false,
        "properties": [
            "items": ItemList.schema,
            "category": ["type": "string", "description": "Category to keep, compared without regard to case"],
        ],
    ]

    var items: ItemList
    var category: String

    init(arguments: JSONValue) throws {
        items = try ItemList(arguments)
        category = try arguments.string("category")
    }

    func callAsFunction() -> JSONValue {
        let wanted = category.lowercased()
        // An item without a category has category "" (the seed's `item.get("category", "")`).
        let kept = items.items.filter { ($0["category"]?.stringValue ?? "").lowercased() == wanted }
        return .array(kept.map(JSONValue.object))
    }
}
