import OrchJSON

/// `compute_tax(amount, tax_rate = 0.07)`: the tax on `amount`, rounded to cents.
struct ComputeTax: BuiltInFunction {
    static let name = "compute_tax"
    static let description = "Calculate the tax on an amount: round(amount * tax_rate, 2); tax_rate defaults to 0.07"
    static let schema: JSONValue = [
        "type": "object",
        "required": ["amount"],
        "additionalProperties": false,
        "properties": [
            "amount": ["type": "number", "description": "The base amount; not negative"],
            "tax_rate": ["type": "number", "default": 0.07, "description": "Tax rate as a fraction between 0 and 1 (0.08 = 8%)"],
        ],
    ]

    var amount: Double
    var taxRate: Double

    init(arguments: JSONValue) throws {
        amount = try arguments.number("amount")
        taxRate = try arguments.number("tax_rate", default: 0.07)
    }

    func callAsFunction() throws -> JSONValue {
        guard amount >= 0 else { throw FunctionError.badArgument("amount", "Amount cannot be negative") }
        guard (0...1).contains(taxRate) else { throw FunctionError.badArgument("tax_rate", "Tax rate must be between 0 and 1") }
        return .number((amount * taxRate).roundedLikePython())
    }
}
