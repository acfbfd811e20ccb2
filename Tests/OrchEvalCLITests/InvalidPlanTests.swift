import Foundation
import Testing
@testable import OrchEvalCLI

/// The malformed plans in Fixtures/plans/invalid/ get exit 2 and errors naming what is wrong.
@Suite("Malformed plans")
struct InvalidPlanTests {
    func errors(_ name: String) async -> String {
        let (status, out, err) = await orchEval(["exec", fixture("Fixtures/plans/invalid/\(name)")])
        #expect(status == 2)
        #expect(out.isEmpty)
        return err
    }

    @Test("a file cut short, or not JSON at all, is named with line and column")
    func notJSON() async {
        #expect(await errors("cut_short.json").contains("Fixtures/plans/invalid/cut_short.json:5:1: not valid JSON"))
        #expect(await errors("not_json.json").contains("Fixtures/plans/invalid/not_json.json:1:1: not valid JSON"))
    }

    @Test("an empty plan")
    func empty() async {
        #expect(await errors("empty.json").contains("steps: the plan has no steps; add at least one"))
    }

    @Test("a cycle names its steps")
    func cycle() async {
        #expect(await errors("cycle.json").contains("dependency cycle: ocr → categorize → parse → ocr"))
    }

    @Test("every problem of a plan at once, each naming its step and field")
    func manyProblems() async {
        let err = await errors("many_problems.json")
        let expected = [
            "the plan has 10 problems:",
            "step 'retry': retry_policy.retries: expected a whole number ≥ 1 (the total number of attempts), got 0",
            "step 'retry': timeout_s: expected a number of seconds > 0, got \"soon\"",
            "steps[5].id: steps[5] has no 'id'",
            "step 'tax': id: the id 'tax' is used by more than one step; ids must be unique",
            "step 'tax': input.args: compute_tax: argument 'amount': expected number, got string \"lots\"",
            "step 'tax': input.args: unknown function 'compute_taxes'; did you mean 'compute_tax'?",
            "step 'ocr': tool: unknown tool 'receipt_scanner'; available: code_exec, expense_categorizer, function_call, line_item_parser, receipt_ocr",
            "step 'parse': depends_on: the step depends on itself",
            "step 'parse': depends_on: depends on 'nowhere', which is not a step of this plan",
            "step 'parse': input.ocr_text: 'step:orc' refers to no step of this plan",
        ]
        for line in expected {
            #expect(err.contains(line), "missing: \(line)\n\(err)")
        }
    }
}
