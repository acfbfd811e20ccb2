import Testing
import OrchJSON
@testable import Orchestrator

/// The seed's five functions, with the examples from their docstrings and every error case.
@Suite struct FunctionBuiltInsTests {
    let registry = FunctionRegistry.builtIns

    private func failure(_ name: String, _ arguments: JSONValue) async -> FunctionError? {
        await #expect(throws: FunctionError.self) { try await registry.call(name, arguments: arguments) }
    }

    @Test func theFiveAreRegistered() {
        #expect(registry.names == ["apply_discount", "compute_item_statistics", "compute_tax", "filter_items_by_category", "merge_items"])
        for descriptor in registry.descriptors {
            #expect(!descriptor.description.isEmpty)
            #expect(descriptor.schema["type"] == "object")
        }
    }

    // MARK: compute_tax

    @Test func computeTax() async throws {
        #expect(try await registry.call("compute_tax", arguments: ["amount": 100.0, "tax_rate": 0.08]) == 8.0)
        #expect(try await registry.call("compute_tax", arguments: ["amount": 100]) == 7.0)  // default rate 0.07
        #expect(try await registry.call("compute_tax", arguments: ["amount": 8.5, "tax_rate": 0.08]) == 0.68)
        #expect(try await registry.call("compute_tax", arguments: ["amount": 33.33, "tax_rate": 0.0825]) == 2.75)
        #expect(try await registry.call("compute_tax", arguments: ["amount": 0, "tax_rate": 1]) == 0)
    }

    @Test func computeTaxRoundsLikePython() async throws {
        // Python: round(0.125, 2) == 0.12 (half to even), round(2.675, 2) == 2.67 (2.675 is 2.67499… in binary).
        #expect(try await registry.call("compute_tax", arguments: ["amount": 0.125, "tax_rate": 1]) == 0.12)
        #expect(try await registry.call("compute_tax", arguments: ["amount": 2.675, "tax_rate": 1]) == 2.67)
    }

    @Test func computeTaxErrors() async {
        #expect(await failure("compute_tax", ["amount": -1]) == .init(kind: .badArguments, function: "compute_tax", argument: "amount", message: "Amount cannot be negative"))
        for rate: JSONValue in [1.5, -0.1] {
            #expect(await failure("compute_tax", ["amount": 10, "tax_rate": rate])?.description == "compute_tax: argument 'tax_rate': Tax rate must be between 0 and 1")
        }
        #expect(await failure("compute_tax", ["amount": "abc"])?.description == #"compute_tax: argument 'amount': expected number, got string "abc""#)
        #expect(await failure("compute_tax", ["amount": 1, "rate": 0.1])?.description == "compute_tax: argument 'rate': not allowed (known: amount, tax_rate)")
        #expect(await failure("compute_tax", ["tax_rate": 0.1])?.description == "compute_tax: argument 'amount': missing (required)")
    }

    // MARK: merge_items

    @Test func mergeItems() async throws {
        let expected: JSONValue = ["total_sum": 30, "count": 2, "avg_total": 15]
        let items: JSONValue = [["total": 10], ["total": 20]]
        #expect(try await registry.call("merge_items", arguments: ["items": items]) == expected)
        // A parser step's whole output, as the seed's hybrid plan passes it.
        #expect(try await registry.call("merge_items", arguments: ["items": ["items": items]]) == expected)
        // A categorizer step's output (the seed's merge_items reads only 'items'; see docs/functions.md).
        #expect(try await registry.call("merge_items", arguments: ["items": ["categorized": items]]) == expected)
        #expect(try await registry.call("merge_items", arguments: ["items": [["total": 0.1], ["total": 0.2], ["description": "no total"]]])
            == ["total_sum": 0.3, "count": 3, "avg_total": 0.1])
    }

    @Test func mergeItemsOfNothingIsZeros() async throws {
        let zeros: JSONValue = ["total_sum": 0, "count": 0, "avg_total": 0]
        #expect(try await registry.call("merge_items", arguments: ["items": []]) == zeros)
        #expect(try await registry.call("merge_items", arguments: ["items": ["items": []]]) == zeros)
    }

    @Test func mergeItemsErrors() async {
        let ocrOutput = await failure("merge_items", ["items": ["text": "MILK 2.49", "confidence": 0.9]])
        #expect(ocrOutput?.kind == .badArguments)
        #expect(ocrOutput?.description == "merge_items: argument 'items': expected a list of items, or an object holding one under 'items' or 'categorized'; got object with keys [confidence, text]")
        #expect(await failure("merge_items", ["items": "abc"])?.description == #"merge_items: argument 'items': expected array or object, got string "abc""#)
        #expect(await failure("merge_items", ["items": [["total": 1], "milk"]])?.description == #"merge_items: argument 'items.1': expected object, got string "milk""#)
        #expect(await failure("merge_items", ["items": ["items": [["total": nil]]]])?.description == "merge_items: argument 'items.items.0.total': expected number, got null")
    }

    // MARK: apply_discount

    @Test func applyDiscount() async throws {
        #expect(try await registry.call("apply_discount", arguments: ["amount": 100, "discount_percent": 15])
            == ["original": 100, "discount": 15, "final": 85])
        #expect(try await registry.call("apply_discount", arguments: ["amount": 19.99, "discount_percent": 12.5])
            == ["original": 19.99, "discount": 2.5, "final": 17.49])
        #expect(try await registry.call("apply_discount", arguments: ["amount": 40, "discount_percent": 100])
            == ["original": 40, "discount": 40, "final": 0])
        #expect(try await registry.call("apply_discount", arguments: ["amount": 40, "discount_percent": 0])
            == ["original": 40, "discount": 0, "final": 40])
    }

    @Test func applyDiscountErrors() async {
        #expect(await failure("apply_discount", ["amount": -5, "discount_percent": 10])?.description == "apply_discount: argument 'amount': Amount cannot be negative")
        for percent: JSONValue in [101, -1] {
            #expect(await failure("apply_discount", ["amount": 5, "discount_percent": percent])?.description
                == "apply_discount: argument 'discount_percent': Discount percent must be between 0 and 100")
        }
        #expect(await failure("apply_discount", ["amount": 5])?.description == "apply_discount: argument 'discount_percent': missing (required)")
    }

    // MARK: filter_items_by_category

    @Test func filterItemsByCategory() async throws {
        let items: JSONValue = [["name": "A", "category": "food"], ["name": "B", "category": "drink"], ["name": "C"]]
        #expect(try await registry.call("filter_items_by_category", arguments: ["items": items, "category": "food"])
            == [["name": "A", "category": "food"]])
        #expect(try await registry.call("filter_items_by_category", arguments: ["items": items, "category": "DRINK"])
            == [["name": "B", "category": "drink"]])
        // An item without a category has category "".
        #expect(try await registry.call("filter_items_by_category", arguments: ["items": items, "category": ""]) == [["name": "C"]])
        #expect(try await registry.call("filter_items_by_category", arguments: ["items": items, "category": "fuel"]) == [])
        // The categorizer's output; an empty 'items' falls through to 'categorized', as in the seed.
        #expect(try await registry.call("filter_items_by_category", arguments: ["items": ["items": [], "categorized": items], "category": "Food"])
            == [["name": "A", "category": "food"]])
    }

    @Test func filterItemsByCategoryErrors() async {
        #expect(await failure("filter_items_by_category", ["items": []])?.description == "filter_items_by_category: argument 'category': missing (required)")
        #expect(await failure("filter_items_by_category", ["items": [], "category": 3])?.description
            == "filter_items_by_category: argument 'category': expected string, got integer 3")
        #expect(await failure("filter_items_by_category", ["items": [["category": 7]], "category": "food"])?.description
            == "filter_items_by_category: argument 'items.0.category': expected string or null, got integer 7")
    }

    // MARK: compute_item_statistics

    @Test func computeItemStatistics() async throws {
        let items: JSONValue = [
            ["description": "Coffee", "total": 3.5, "quantity": 1],
            ["description": "Bagel", "total": 5.0, "quantity": 2],
        ]
        #expect(try await registry.call("compute_item_statistics", arguments: ["items": items]) == [
            "count": 2, "total_amount": 8.5, "total_quantity": 3, "avg_amount": 4.25,
            "categories": ["uncategorized": ["count": 2, "total": 8.5]],
        ])
    }

    @Test func computeItemStatisticsOfCategorizedItems() async throws {
        let categorized: JSONValue = ["categorized": [
            ["description": "Milk", "quantity": 1, "unit_price": 1.15, "total": 1.15, "category": "food"],
            ["description": "Cola", "quantity": 2, "unit_price": 1.15, "total": 2.3, "category": "beverage"],
            ["description": "Gum", "quantity": 1, "total": 0.07, "category": "food"],
            ["description": "Bag", "quantity": 0.5, "total": 0.1, "category": nil],
        ]]
        // The sum is 3.6199999999999997, so the average rounds down to 0.9, as in Python.
        #expect(try await registry.call("compute_item_statistics", arguments: ["items": categorized]) == [
            "count": 4, "total_amount": 3.62, "total_quantity": 4.5, "avg_amount": 0.9,
            "categories": [
                "food": ["count": 2, "total": 1.22],
                "beverage": ["count": 1, "total": 2.3],
                "uncategorized": ["count": 1, "total": 0.1],
            ],
        ])
        #expect(try await registry.call("compute_item_statistics", arguments: ["items": []]) == [
            "count": 0, "total_amount": 0, "total_quantity": 0, "avg_amount": 0, "categories": [:],
        ])
    }

    @Test func computeItemStatisticsErrors() async {
        #expect(await failure("compute_item_statistics", [:])?.description == "compute_item_statistics: argument 'items': missing (required)")
        #expect(await failure("compute_item_statistics", ["items": [["quantity": "2x"]]])?.description
            == #"compute_item_statistics: argument 'items.0.quantity': expected number, got string "2x""#)
        #expect(await failure("compute_item_statistics", ["items": ["lines": []]])?.argument == "items")
    }
}
