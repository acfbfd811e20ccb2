import OrchJSON

/// `apply_discount(amount, discount_percent)`: the original amount, the discount and what remains.
struct ApplyDiscount: BuiltInFunction {
    static let name = "apply_discount"
    static let description = "Apply a percentage discount: returns {original, discount, final}, discount and final rounded to 2 places"
    static let schema: JSONValue = [
        "type": "object",
        "required": ["amount", "discount_percent"],
        "additionalProperties": false,
        "properties": [
            "amount": ["type": "number", "description": "Original amount; not negative"],
            "discount_percent": ["type": "number", "description": "Discount in percent, 0 to 100 (15 = 15%)"],
        ],
    ]

    var amount: Double
    var discountPercent: Double

    init(arguments: JSONValue) throws {
        amount = try arguments.number("amount")
        discountPercent = try arguments.number("discount_percent")
    }

    func callAsFunction() throws -> JSONValue {
        guard amount >= 0 else { throw FunctionError.badArgument("amount", "Amount cannot be negative") }
        guard (0...100).contains(discountPercent) else {
            throw FunctionError.badArgument("discount_percent", "Discount percent must be between 0 and 100")
        }
        let discount = (amount * (discountPercent / 100)).roundedLikePython()
        return ["original": .number(amount), "discount": .number(discount), "final": .number((amount - discount).roundedLikePython())]
    }
}
