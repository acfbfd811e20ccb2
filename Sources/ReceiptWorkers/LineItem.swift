import OrchJSON

/// One purchased item as read from a receipt line.
public struct LineItem: Sendable, Equatable {
    public var description: String
    public var quantity: Double
    /// Printed on the line (`3 @ 0.40`, a price column), else `total / quantity`.
    public var unitPrice: Double
    public var total: Double

    public init(description: String, quantity: Double, unitPrice: Double, total: Double) {
        self.description = description
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.total = total
    }

    /// `{description, quantity, unit_price, total}`.
    public var json: JSONValue {
        [
            "description": .string(description), "quantity": .number(quantity),
            "unit_price": .number(unitPrice), "total": .number(total),
        ]
    }
}

/// What `line_item_parser` found on a receipt: its items and, when printed, the summary
/// amounts.
public struct ParsedReceipt: Sendable, Equatable {
    public var items: [LineItem]
    public var subtotal: Double?
    public var tax: Double?
    public var total: Double?

    public init(items: [LineItem], subtotal: Double? = nil, tax: Double? = nil, total: Double? = nil) {
        self.items = items
        self.subtotal = subtotal
        self.tax = tax
        self.total = total
    }

    /// `{items:[…]}` plus `subtotal`, `tax` and `total` when the receipt printed them.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["items": .array(items.map(\.json))]
        if let subtotal { object["subtotal"] = .number(subtotal) }
        if let tax { object["tax"] = .number(tax) }
        if let total { object["total"] = .number(total) }
        return .object(object)
    }
}
