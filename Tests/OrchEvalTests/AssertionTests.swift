import Testing
@testable import OrchEval
import OrchJSON

@Suite("output assertions")
struct AssertionTests {
    let outputs = CaseOutputs(
        stepOutputs: ["p": ["items": [["description": "Orange Juice", "quantity": 2, "total": 7.58],
                                      ["description": "Croisant", "quantity": 3, "total": 8.25],
                                      ["description": "Trash Bags", "quantity": 1, "total": 7.99]],
                            "total": 23.83, "tags": ["b", "a"]]],
        synthesis: "Total: 23.83 USD",
        executedStep: { $0 == "parse" ? "p" : nil })

    private func run(_ check: Assertion.Check) -> AssertionOutcome {
        AssertionEvaluator.evaluate(Assertion(name: "x", check: check), on: outputs)!
    }

    private func at(_ path: String) -> Selector { Selector(stepID: "parse", path: JSONPath(path)) }

    @Test("selectors reach the executed step aligned with the golden step")
    func selectorsFollowTheAlignment() {
        #expect(run(.equals(at("items.0.description"), "Orange Juice")).passed)
        let missing = run(.equals(Selector(stepID: "tax"), 1))
        #expect(!missing.passed && missing.message.contains("no executed step is aligned with golden step 'tax'"))
    }

    @Test("approx passes within the larger of the absolute and relative tolerance")
    func approx() {
        #expect(run(.approx(at("total"), expected: 23.84, absolute: 0.01, relative: 0)).passed)
        #expect(!run(.approx(at("total"), expected: 23.85, absolute: 0.01, relative: 0)).passed)
        #expect(run(.approx(at("total"), expected: 24, absolute: 0, relative: 0.01)).passed)  // 0.17 ≤ 0.24
    }

    @Test("set_equal ignores order, contains and regex look inside")
    func setsAndText() {
        #expect(run(.setEqual(at("tags"), ["a", "b"])).passed)
        let outcome = run(.setEqual(at("tags"), ["a", "c"]))
        #expect(!outcome.passed && outcome.message == #"missing ["c"], unexpected ["b"]"#)
        #expect(run(.contains(Selector(stepID: nil), "23.83")).passed)
        #expect(run(.regex(Selector(stepID: nil), pattern: #"Total: \d+\.\d{2}"#)).passed)
        #expect(!run(.regex(Selector(stepID: nil), pattern: "EUR")).passed)
    }

    @Test("item-list F1: fuzzy names, quantity and total within tolerance, by hand")
    func itemListF1() {
        let expected = [ExpectedItem(description: "Orange Juice", quantity: 2, total: 7.58),
                        ExpectedItem(description: "Croissant", quantity: 3, total: 8.25),
                        ExpectedItem(description: "Trash Bags", quantity: 2, total: 15.98),
                        ExpectedItem(description: "Hot Chocolate", quantity: 1, total: 3.25)]
        let outcome = run(.itemListF1(at("items"), expected: expected, tolerance: ItemTolerance(), minimum: 0.8))
        // Orange Juice ✓; "Croisant" is 1 edit from "Croissant": similarity 1 − 1/9 ≈ 0.89 ✓;
        // Trash Bags has quantity 1, not 2 ✗; Hot Chocolate missing ✗. P = 2/3, R = 2/4, F1 = 4/7.
        #expect(abs(outcome.score - 4.0 / 7.0) < 1e-12)
        #expect(!outcome.passed)
        #expect(outcome.message.contains("'Trash Bags' quantity 1, expected 2"))
        #expect(outcome.message.contains("'Hot Chocolate' not found"))
    }
}
