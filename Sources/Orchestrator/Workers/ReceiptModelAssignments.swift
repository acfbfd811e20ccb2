import OrchJSON
import Providers
import ReceiptWorkers

/// What `line_item_parser` and `expense_categorizer` ask a model, with answers checked by
/// `ModelAnswerCheck`. Prompts are short (a small model pays for every prompt token) and the
/// answer's shape is fixed by a schema; arithmetic stays in code.
public enum ReceiptModelAssignments {
    /// Items from the receipt text. Subtotal, tax and total stay the rules' reading of the
    /// printed amounts; the items are the model's when they pass the checks.
    ///
    /// The model gives description, quantity and the printed line total; the unit price is
    /// computed (arithmetic stays in code). Asked for a unit price too, the local 1.5B got it
    /// wrong on 4 of 12 receipts (`2 × 7.58` for a line of 7.58) and returned an empty list
    /// on 4 more (hence `minItems: 1`); without, it gave the exact items on 8 of 12.
    public static let lineItems = ModelAssistedWorker.Assignment(
        request: { input, _ in
            guard let text = receiptText(input) else { return nil }
            return ChatRequest(
                system: "List the items bought on this receipt: description, quantity (how many; 1 if not shown) and total (the amount printed on the item's line). Leave out the shop's name, address, date, subtotal, tax, total and payment lines.",
                messages: [.user(text)], responseFormat: ResponseFormat(name: "line_items", schema: lineItemSchema),
                temperature: 0, maxOutputTokens: 800)
        },
        accept: { answer, input, rules in
            ModelAnswerCheck.items(answer, text: receiptText(input) ?? "", rules: rules).map { items in
                rules.merging(["items": .array(items.map(\.json))])
            }
        })

    /// A category for every item, in order, each written beside the item's name.
    ///
    /// The answer pairs each item with its kind (`{"items": [{"item", "kind"}]}`, keys in the
    /// order a grammar-constrained server writes them: `item` first). A bare list of
    /// categories made both local models copy the category list's own order (the 1.5B:
    /// 8 of 19 right on receipts 01-05); writing the name first makes the model look at it,
    /// at about four times the output tokens.
    public static let categories = ModelAssistedWorker.Assignment(
        request: { _, rules in
            let descriptions = (rules["categorized"]?.arrayValue ?? []).compactMap { $0["description"]?.stringValue }
            guard !descriptions.isEmpty else { return nil }
            let list = descriptions.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
            return ChatRequest(
                system: "Give each item its kind of expense: food (to eat), beverage (to drink), household (cleaning, paper goods, batteries, bulbs), fuel (gasoline, diesel), personal_care (hygiene, cosmetics, medicine), office (paper, pens, ink), other. Answer every item, in order, with its name.",
                messages: [.user(list)],
                responseFormat: ResponseFormat(name: "categories", schema: categorySchema(count: descriptions.count)),
                temperature: 0, maxOutputTokens: 24 * descriptions.count + 30)
        },
        accept: { answer, _, rules in
            let items = rules["categorized"]?.arrayValue ?? []
            let descriptions = items.map { $0["description"]?.stringValue ?? "" }
            return ModelAnswerCheck.categories(answer, descriptions: descriptions, allowed: categoryNames).map { names in
                ["categorized": .array(zip(items, names).map { item, name in item.merging(["category": .string(name)]) })]
            }
        })

    static let categoryNames = ExpenseCategorizer.defaultTable.map(\.category) + [ExpenseCategorizer.fallback]

    static let lineItemSchema: JSONValue = [
        "type": "object", "required": ["items"],
        "properties": ["items": ["type": "array", "minItems": 1, "items": [
            "type": "object", "required": ["description", "quantity", "total"],
            "properties": ["description": ["type": "string"], "quantity": ["type": "number"], "total": ["type": "number"]],
        ]]],
    ]

    static func categorySchema(count: Int) -> JSONValue {
        ["type": "object", "required": ["items"],
         "properties": ["items": ["type": "array", "minItems": .number(Double(count)), "maxItems": .number(Double(count)),
                                  "items": ["type": "object", "required": ["item", "kind"],
                                            "properties": ["item": ["type": "string"],
                                                           "kind": ["type": "string", "enum": .array(categoryNames.map(JSONValue.string))]]]]]]
    }

    /// The receipt text of a `line_item_parser` input: `ocr_text` or `text`, a string or the
    /// `receipt_ocr` output `{text, confidence}`.
    static func receiptText(_ input: JSONValue) -> String? {
        let value = input["ocr_text"] ?? input["text"]
        return value?.stringValue ?? value?["text"]?.stringValue
    }
}
