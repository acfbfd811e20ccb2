import Testing
@testable import OrchEval
import OrchJSON

/// Hand-checked pairs: each test spells out the arithmetic behind the scores.
@Suite("plan scoring")
struct PlanScorerTests {
    /// ocr → parse → tax(amount: parse.total), the golden plan of these tests.
    let golden: JSONValue = [
        "request_id": "g",
        "steps": [
            ["id": "ocr", "tool": "receipt_ocr", "input": ["image_uri": "r.png"]],
            ["id": "parse", "tool": "line_item_parser", "input": ["ocr_text": "step:ocr"], "depends_on": ["ocr"]],
            ["id": "tax", "tool": "function_call", "input": ["name": "compute_tax", "args": ["amount": "step:parse.total", "tax_rate": 0.08]],
             "depends_on": ["parse"]],
        ],
    ]

    @Test("the same plan with other step ids scores 1 everywhere and is exact")
    func renamedStepsAreExact() throws {
        let predicted: JSONValue = [
            "request_id": "p",
            "steps": [
                ["id": "a", "tool": "receipt_ocr", "input": ["image_uri": "r.png"]],
                ["id": "b", "tool": "line_item_parser", "input": ["ocr_text": "step:a"]],
                ["id": "c", "tool": "function_call", "input": ["name": "compute_tax", "args": ["amount": "step:b.total", "tax_rate": 0.08]]],
            ],
        ]
        let score = try PlanScorer().score(golden: golden, predicted: predicted)
        #expect(score.valid && score.exact)
        #expect(score.nodeF1 == 1 && score.edgeF1 == 1 && score.argumentF1 == 1)
        #expect(score.alignment.pairs.map { [$0.golden, $0.predicted] } == [["ocr", "a"], ["parse", "b"], ["tax", "c"]])
    }

    @Test("a missing step, a wrong rate and a reference to the wrong step, counted by hand")
    func partialPlan() throws {
        // Predicted: ocr, tax with tax_rate 0.07 and amount pointing at ocr (not at the parser).
        let predicted: JSONValue = [
            "request_id": "p",
            "steps": [
                ["id": "o", "tool": "receipt_ocr", "input": ["image_uri": "r.png"]],
                ["id": "t", "tool": "function_call", "input": ["name": "compute_tax", "args": ["amount": "step:o.total", "tax_rate": 0.07]]],
            ],
        ]
        let score = try PlanScorer().score(golden: golden, predicted: predicted)
        // Nodes: golden {receipt_ocr, line_item_parser, function_call:compute_tax}, predicted
        // {receipt_ocr, function_call:compute_tax}: 2 shared. P = 2/2, R = 2/3, F1 = 2·1·⅔ / (1 + ⅔) = 0.8.
        #expect(abs(score.nodeF1 - 0.8) < 1e-12)
        // Alignment: ocr↔o (weight 1), tax↔t: leaves name ✓, args.amount (reference, same path
        // `total`) ✓ for alignment, args.tax_rate ✗ → leaf F1 2/3, weight 0.5 + 0.5·⅔ = ⅚.
        #expect(score.alignment.pairs.map(\.predicted) == ["o", "t"])
        #expect(abs(score.alignment.pairs[1].similarity - 5.0 / 6.0) < 1e-12)
        #expect(score.alignment.unmatchedGolden == ["parse"])
        // Edges: golden {ocr→parse, parse→tax}; predicted {o→t} maps to ocr→tax, not golden.
        // TP 0 → F1 0.
        #expect(score.edgeF1 == 0)
        // Arguments: golden leaves: ocr 1, parse 1, tax 3 = 5; predicted: o 1, t 3 = 4.
        // Hits: image_uri ✓, name ✓; amount points at o, aligned with ocr, not parse ✗; rate ✗.
        // P = 2/4, R = 2/5, F1 = 2·0.5·0.4 / 0.9 = 4/9.
        #expect(abs(score.argumentF1 - 4.0 / 9.0) < 1e-12)
        #expect(!score.exact)
    }

    @Test("function names count as tools: compute_tax is not apply_discount")
    func functionNamesAreNodes() throws {
        let predicted: JSONValue = ["request_id": "p", "steps": [
            ["id": "ocr", "tool": "receipt_ocr", "input": ["image_uri": "r.png"]],
            ["id": "parse", "tool": "line_item_parser", "input": ["ocr_text": "step:ocr"]],
            ["id": "tax", "tool": "function_call", "input": ["name": "apply_discount", "args": ["amount": "step:parse.total", "discount_percent": 8]]],
        ]]
        let score = try PlanScorer().score(golden: golden, predicted: predicted)
        // 2 of 3 labels shared each way: F1 = ⅔. The function step stays unaligned (weight 0).
        #expect(abs(score.nodeF1 - 2.0 / 3.0) < 1e-12)
        #expect(score.alignment.unmatchedGolden == ["tax"] && score.alignment.unmatchedPredicted == ["tax"])
        // Edges: golden 2, predicted 2 (ocr→parse, parse→tax); only ocr→parse maps: F1 = ½.
        #expect(abs(score.edgeF1 - 0.5) < 1e-12)
    }

    @Test("a plan that does not decode is invalid and scores 0, naming the problem")
    func undecodablePlan() throws {
        let score = try PlanScorer().score(golden: golden, predicted: ["steps": "none"])
        #expect(!score.valid && score.nodeF1 == 0 && score.alignment.unmatchedGolden == ["ocr", "parse", "tax"])
        #expect(score.problems.contains { $0.contains("request_id") })
    }

    @Test("the Hungarian algorithm finds the best total, not the greedy one")
    func hungarianBeatsGreedy() {
        // Greedy takes 0↔0 (9) and is left with 1↔1 (1): 10. Best: 0↔1 (8) + 1↔0 (8) = 16.
        #expect(Hungarian.maximumWeightAssignment([[9, 8], [8, 1]]) == [1, 0])
        // More rows than columns: one row stays out.
        #expect(Hungarian.maximumWeightAssignment([[1], [5], [3]]) == [nil, 0, nil])
    }
}
