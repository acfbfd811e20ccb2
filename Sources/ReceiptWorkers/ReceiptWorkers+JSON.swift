import OrchJSON

// The workers' JSON faces, as plan steps call them. Inputs are as tolerant as the seed's: a
// step may pass the whole upstream output (`"step:ocr"`) instead of picking its field.

extension ReceiptOCR {
    /// `{"image_uri": "Fixtures/receipts/seed-receipt.png"}` → `{"text": …, "confidence": …}`.
    public func run(_ input: JSONValue) async throws(ReceiptWorkerError) -> JSONValue {
        guard let uri = input["image_uri"] else {
            throw ReceiptWorkerError(.badInput, "receipt_ocr needs 'image_uri': a local image path or file:// URI")
        }
        guard let uri = uri.stringValue else {
            throw ReceiptWorkerError(.badInput, "receipt_ocr 'image_uri' must be a string, got \(uri.typeName)")
        }
        return try await recognize(imageURI: uri).json
    }
}

extension LineItemParser {
    /// `{"ocr_text": "…"}` or `{"text": "…"}`, where the value may also be the whole
    /// `receipt_ocr` output `{text, confidence}` → `{"items": [...], "subtotal", "tax", "total"}`
    /// (the last three only when printed on the receipt).
    public func run(_ input: JSONValue) throws(ReceiptWorkerError) -> JSONValue {
        let field = input["ocr_text"] != nil ? "ocr_text" : "text"
        guard let value = input[field] else {
            throw ReceiptWorkerError(.badInput, "line_item_parser needs 'ocr_text' (or 'text'): the receipt text, or the receipt_ocr output object")
        }
        if let text = value.stringValue ?? value["text"]?.stringValue {
            return parse(text).json
        }
        let shape = value.objectValue == nil ? value.typeName : "an object without a 'text' string"
        throw ReceiptWorkerError(.badInput, "line_item_parser '\(field)' must be a string or the receipt_ocr output {text, confidence}, got \(shape)")
    }
}

extension ExpenseCategorizer {
    /// `{"items": [...]}`, where `items` may also be the whole `line_item_parser` output
    /// `{items: [...]}` and an item may be a bare description string → `{"categorized": [...]}`:
    /// each item with a `category` added.
    public func run(_ input: JSONValue) throws(ReceiptWorkerError) -> JSONValue {
        guard let value = input["items"] else {
            throw ReceiptWorkerError(.badInput, "expense_categorizer needs 'items': a list of items with 'description', or the line_item_parser output")
        }
        guard let items = value.arrayValue ?? value["items"]?.arrayValue else {
            let shape = value.objectValue == nil ? value.typeName : "an object without an 'items' list"
            throw ReceiptWorkerError(.badInput, "expense_categorizer 'items' must be a list or the line_item_parser output {items}, got \(shape)")
        }
        var categorized: [JSONValue] = []
        for (index, item) in items.enumerated() {
            if let description = item.stringValue {
                categorized.append(["description": .string(description), "category": .string(category(for: description))])
                continue
            }
            guard var object = item.objectValue, let description = object["description"]?.stringValue else {
                throw ReceiptWorkerError(.badInput, "expense_categorizer items[\(index)] needs a 'description' string, got \(item.serialized())")
            }
            object["category"] = .string(category(for: description))
            categorized.append(.object(object))
        }
        return ["categorized": .array(categorized)]
    }
}
