import OrchJSON

/// The `items` argument of the item functions: a list of line items, or a step's whole
/// output holding the list under `items` (line_item_parser) or `categorized`
/// (expense_categorizer), as the seed accepts.
struct ItemList: Sendable {
    /// Each item as given, so results can return items unchanged.
    var items: [[String: JSONValue]]

    /// A line item: `description`, `quantity`, `unit_price`, `total`, optional `category`.
    /// Only the fields the functions compute with are constrained.
    static let itemSchema: JSONValue = [
        "type": "object",
        "description": "A line item: description, quantity, unit_price, total, optional category",
        "properties": [
            "total": ["type": "number", "description": "Line total; 0 when absent"],
            "quantity": ["type": "number", "description": "Units bought; 0 when absent"],
            "category": ["type": ["string", "null"], "description": "Expense category, e.g. food"],
        ],
    ]

    /// Arguments of a function whose only argument is `items`.
    static let itemsArgumentSchema: JSONValue = [
        "type": "object",
        "required": ["items"],
        "additionalProperties": false,
        "properties": ["items": schema],
    ]

    static let schema: JSONValue = [
        "description": "A list of line items, or an object holding one under 'items' or 'categorized' (a parser or categorizer step's output)",
        "anyOf": [
            ["type": "array", "items": itemSchema],
            [
                "type": "object",
                "properties": [
                    "items": ["type": "array", "items": itemSchema],
                    "categorized": ["type": "array", "items": itemSchema],
                ],
            ],
        ],
    ]

    /// Reads `arguments.items`.
    init(_ arguments: JSONValue) throws {
        let value = arguments["items"] ?? .null
        let list: [JSONValue]
        switch value {
        case .array(let elements):
            list = elements
        case .object(let members) where members["items"] != nil || members["categorized"] != nil:
            // The seed's `items.get("items", []) or items.get("categorized", [])`.
            let items = members["items"]?.arrayValue ?? []
            list = items.isEmpty ? members["categorized"]?.arrayValue ?? [] : items
        default:
            throw FunctionError.badArgument("items", "expected a list of items, or an object holding one under 'items' or 'categorized'; got \(value.summary)")
        }
        items = list.compactMap(\.objectValue)
    }
}

extension [String: JSONValue] {
    /// A numeric field, 0 when absent (the seed's `item.get(field, 0)`).
    func number(_ field: String) -> Double { self[field]?.doubleValue ?? 0 }
}
