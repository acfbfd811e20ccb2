import OrchJSON
import ReceiptWorkers
import Testing

@Suite struct WorkerJSONTests {
    let seedImage = ReceiptFixture.directory.appendingPathComponent("seed-receipt.png").path

    @Test func theSeedPipelinePassesWholeUpstreamOutputs() async throws {
        let ocr = try await ReceiptOCR(mode: .fixture).run(["image_uri": .string(seedImage)])
        #expect(ocr["confidence"] == 1.0)
        let parsed = try LineItemParser().run(["ocr_text": ocr])
        #expect(parsed["total"] == 9.18)
        let categorized = try ExpenseCategorizer().run(["items": parsed])
        #expect(categorized == [
            "categorized": [
                ["description": "Coffee", "quantity": 1, "unit_price": 3.5, "total": 3.5, "category": "beverage"],
                ["description": "Bagel", "quantity": 2, "unit_price": 2.5, "total": 5, "category": "food"],
            ],
        ])
    }

    @Test func theParserTakesTextUnderEitherName() throws {
        let byText = try LineItemParser().run(["text": "2x Bagel 5.00"])
        #expect(byText == ["items": [["description": "Bagel", "quantity": 2, "unit_price": 2.5, "total": 5]]])
        #expect(try LineItemParser().run(["ocr_text": "2x Bagel 5.00"]) == byText)
    }

    @Test func theCategorizerTakesBareDescriptions() throws {
        let result = try ExpenseCategorizer().run(["items": ["Latte", "Stapler"]])
        #expect(result == ["categorized": [["description": "Latte", "category": "beverage"], ["description": "Stapler", "category": "office"]]])
    }

    @Test("bad input names the field", arguments: [
        ("receipt_ocr", ["image": "x.png"], "needs 'image_uri'"),
        ("receipt_ocr", ["image_uri": 3], "'image_uri' must be a string, got integer"),
        ("line_item_parser", ["items": []], "needs 'ocr_text' (or 'text')"),
        ("line_item_parser", ["ocr_text": 12.5], "'ocr_text' must be a string or the receipt_ocr output {text, confidence}, got number"),
        ("line_item_parser", ["text": ["confidence": 0.9]], "'text' must be a string or the receipt_ocr output {text, confidence}, got an object without a 'text' string"),
        ("expense_categorizer", ["item": []], "needs 'items'"),
        ("expense_categorizer", ["items": "Bagel"], "'items' must be a list or the line_item_parser output {items}, got string"),
        ("expense_categorizer", ["items": ["text": "x"]], "got an object without an 'items' list"),
        ("expense_categorizer", ["items": [["description": "Bagel"], ["total": 3]]], "items[1] needs a 'description' string, got {\"total\":3}"),
    ] as [(String, JSONValue, String)])
    func badInput(worker: String, input: JSONValue, phrase: String) async throws {
        let error = await #expect(throws: ReceiptWorkerError.self) {
            switch worker {
            case "receipt_ocr": _ = try await ReceiptOCR(mode: .fixture).run(input)
            case "line_item_parser": _ = try LineItemParser().run(input)
            default: _ = try ExpenseCategorizer().run(input)
            }
        }
        #expect(error?.code == .badInput)
        #expect(error?.message.hasPrefix(worker) == true)
        #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "no error")")
    }
}
