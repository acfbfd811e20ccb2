import OrchJSON
import Providers
import ReceiptWorkers

/// What `line_item_parser` and `expense_categorizer` ask a model, with answers checked by
/// `ModelAnswerCheck`. Prompts are short (a small model pays for every prompt token) and the
/// answer's shape is fixed by a schema; arithmetic stays in code.
public enum ReceiptModelAssignments {
    /// Items from the receipt text. Subtotal, tax and total stay the rules' reading of the
    /// printed amounts; the items are the model's when they pass the checks.
    public static let lineItems = ModelAssistedWorker.Assignment(
        request: { input, _ in
            guard let text = receiptText(input) else { return nil }
            return ChatRequest(
                system: "List the items bought on this receipt. quantity: how many (1 if not shown); unit_price: price of one; total: the amount printed on the item's line. Leave out subtotal, tax, total and payment lines.",
                messages: [.user(text)], responseFormat: ResponseFormat(name: "line_items", schema: lineItemSchema),
                temperature: 0, maxOutputTokens: 800)
        },
        accept: { answer, input, rules in
            ModelAnswerCheck.items(answer, text: receiptText(input) ?? "", rules: rules).map { items in
                rules.merging(["items": .array(items.map(\.json))])
            }
        })

    /// A category for every item, in order.
    public static let categories = ModelAssistedWorker.Assignment(
        request: { _, rules in
            let descriptions = (rules["categorized"]?.arrayValue ?? []).compactMap { $0["description"]?.stringValue }
            guard !descriptions.isEmpty else { return nil }
            let list = descriptions.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
            return ChatRequest(
                system: "Give each item one category: food (to eat), beverage (to drink), household (cleaning, paper goods, batteries, bulbs), fuel (gasoline, diesel), personal_care (hygiene, cosmetics, medicine), office (paper, pens, ink), other. One category per item, in order.",
                messages: [.user(list)],
                responseFormat: ResponseFormat(name: "categories", schema: categorySchema(count: descriptions.count)),
                temperature: 0, maxOutputTokens: 20 * descriptions.count + 20)
        },
        accept: { answer, _, rules in
            let items = rules["categorized"]?.arrayValue ?? []
            return ModelAnswerCheck.categories(answer, count: items.count, allowed: categoryNames).map { names in
                ["categorized": .array(zip(items, names).map { item, name in item.merging(["category": .string(name)]) })]
            }
        })

    static let categoryNames = ExpenseCategorizer.defaultTable.map(\.category) + [ExpenseCategorizer.fallback]

    static let lineItemSchema: JSONValue = [
        "type": "object", "required": ["items"],
        "properties": ["items": ["type": "array", "items": [
            "type": "object", "required": ["description", "quantity", "unit_price", "total"],
            "properties": ["description": ["type": "string"], "quantity": ["type": "number"],
                           "unit_price": ["type": "number"], "total": ["type": "number"]],
        ]]],
    ]

    static func categorySchema(count: Int) -> JSONValue {
        ["type": "object", "required": ["categories"],
         "properties": ["categories": ["type": "array", "minItems": .number(Double(count)), "maxItems": .number(Double(count)),
                                       "items": ["type": "string", "enum": .array(categoryNames.map(JSONValue.string))]]]]
    }

    /// The receipt text of a `line_item_parser` input: `ocr_text` or `text`, a string or the
    /// `receipt_ocr` output `{text, confidence}`.
    static func receiptText(_ input: JSONValue) -> String? {
        let value = input["ocr_text"] ?? input["text"]
        return value?.stringValue ?? value?["text"]?.stringValue
    }
}
