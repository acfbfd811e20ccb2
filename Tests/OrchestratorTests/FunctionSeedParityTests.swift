import Testing
import OrchJSON
@testable import Orchestrator

/// Edge cases of the built-ins, checked against what the seed's Python functions return
/// for the same arguments (worked out with Python 3.11; see docs/functions.md for the
/// deliberate differences).
@Suite struct FunctionSeedParityTests {
    let registry = FunctionRegistry.builtIns

    private func call(_ name: String, _ arguments: JSONValue) async throws -> JSONValue {
        try await registry.call(name, arguments: arguments)
    }

    @Test func sumsThatOverflowAreAFailureNotInfinity() async {
        // Python returns inf here and json.dumps writes `Infinity`, which is not JSON.
        let huge: JSONValue = [["total": 1e308, "quantity": 1], ["total": 1e308, "quantity": 1]]
        let merged = await #expect(throws: FunctionError.self) { try await call("merge_items", ["items": huge]) }
        #expect(merged?.kind == .failed)
        #expect(merged?.description == "merge_items: the result holds infinity at 'avg_total'; JSON has no NaN or infinity")
        let statistics = await #expect(throws: FunctionError.self) { try await call("compute_item_statistics", ["items": huge]) }
        #expect(statistics?.kind == .failed)
        #expect(statistics?.message.hasPrefix("the result holds infinity at 'avg_amount'") == true)
    }

    @Test func aRawFunctionReturningNaNOrInfinityFails() async throws {
        var registry = FunctionRegistry()
        try registry.register(name: "ratio", description: "0/0", schema: ["type": "object"]) { _ in ["values": [1, .number(.nan)]] }
        try registry.register(name: "infinite", description: "Not JSON", schema: ["type": "object"]) { _ in .number(-.infinity) }
        let nan = await #expect(throws: FunctionError.self) { try await registry.call("ratio", arguments: [:]) }
        #expect(nan == FunctionError(kind: .failed, function: "ratio",
                                     message: "the result holds NaN at 'values.1'; JSON has no NaN or infinity"))
        let infinite = await #expect(throws: FunctionError.self) { try await registry.call("infinite", arguments: [:]) }
        #expect(infinite?.message == "the result is -infinity; JSON has no NaN or infinity")
    }

    @Test func extremeButFiniteAmountsComputeAsInPython() async throws {
        #expect(try await call("compute_tax", ["amount": 1e308, "tax_rate": 1]) == 1e308)
        #expect(try await call("compute_tax", ["amount": 1.2345678901234567e19, "tax_rate": 0.07]) == 8.641975230864198e17)
        #expect(try await call("compute_tax", ["amount": 1e-300, "tax_rate": 0.5]) == 0)
        #expect(try await call("compute_tax", ["amount": 0.005, "tax_rate": 1]) == 0.01)  // 0.005 is 0.005000000000000000104… in binary
        // -0 is not negative, in Python or here.
        #expect(try await call("compute_tax", ["amount": .number(-0.0)]) == 0)
        #expect(try await call("apply_discount", ["amount": 1e308, "discount_percent": 100]) == ["original": 1e308, "discount": 1e308, "final": 0])
        #expect(try await call("apply_discount", ["amount": 0.015, "discount_percent": 100]) == ["original": 0.015, "discount": 0.01, "final": 0])
        #expect(try await call("apply_discount", ["amount": 19.99, "discount_percent": 33.333]) == ["original": 19.99, "discount": 6.66, "final": 13.33])
    }

    @Test func tinyNegativesAreStillNegative() async {
        let error = await #expect(throws: FunctionError.self) { try await call("compute_tax", ["amount": -1e-300]) }
        #expect(error?.description == "compute_tax: argument 'amount': Amount cannot be negative")
        let rate = await #expect(throws: FunctionError.self) { try await call("compute_tax", ["amount": 10, "tax_rate": 1.0000001]) }
        #expect(rate?.argument == "tax_rate")
    }

    @Test func negativeTotalsAndQuantitiesAreSummedAsGiven() async throws {
        // The seed does not check item values; neither do we.
        #expect(try await call("merge_items", ["items": [["total": -5], ["total": 2]]]) == ["total_sum": -3, "count": 2, "avg_total": -1.5])
        #expect(try await call("compute_item_statistics", ["items": [["quantity": -3, "total": -1.005]]]) == [
            "count": 1, "total_amount": -1, "total_quantity": -3, "avg_amount": -1,
            "categories": ["uncategorized": ["count": 1, "total": -1]],
        ])
        #expect(try await call("merge_items", ["items": [["total": 1.7976931348623157e308], ["total": -1.7976931348623157e308]]])
            == ["total_sum": 0, "count": 2, "avg_total": 0])
    }

    @Test func sumsAreLeftToRightLikePythonsSumBefore3_12() async throws {
        // sum([0.1] * 10) is 0.9999999999999999 in Python 3.8–3.11 (3.12 switched to compensated summation).
        let items = JSONValue.array(Array(repeating: ["total": 0.1, "quantity": 0.1], count: 10))
        let statistics = try await call("compute_item_statistics", ["items": items])
        #expect(statistics["total_quantity"] == 0.9999999999999999)
        #expect(statistics["total_amount"] == 1)
        #expect(statistics["avg_amount"] == 0.1)
    }

    @Test func categoriesCompareWithFullUnicodeCaseMapping() async throws {
        // Python's str.lower(): "K" (Kelvin sign) lowers to "k", "ǅ" to "ǆ", "STRASSE" is not "straße".
        let items: JSONValue = [["category": "\u{212A}"], ["category": "ǅ"], ["category": "straße"], ["category": "Σ"]]
        func kept(_ category: String) async throws -> JSONValue {
            try await call("filter_items_by_category", ["items": items, "category": .string(category)])
        }
        #expect(try await kept("k") == [["category": "\u{212A}"]])
        #expect(try await kept("ǆ") == [["category": "ǅ"]])
        #expect(try await kept("STRASSE") == [])
        #expect(try await kept("σ") == [["category": "Σ"]])
    }

    @Test func missingTotalsCountAsZeroButStillCount() async throws {
        let items: JSONValue = [["description": "free"], ["total": 4, "category": "food"], ["quantity": 2, "category": "Food"]]
        #expect(try await call("merge_items", ["items": items]) == ["total_sum": 4, "count": 3, "avg_total": 1.33])
        #expect(try await call("compute_item_statistics", ["items": items]) == [
            "count": 3, "total_amount": 4, "total_quantity": 2, "avg_amount": 1.33,
            "categories": ["uncategorized": ["count": 1, "total": 0], "food": ["count": 1, "total": 4], "Food": ["count": 1, "total": 0]],
        ])
    }
}
