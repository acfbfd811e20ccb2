import OrchJSON
@testable import Orchestrator
import Testing

/// The slips small planners make, fixed before validation, each with a note.
@Suite struct PlanRepairTests {
    let repair = PlanRepair(catalog: try! StandardTools.catalog(environment: ["OCR_MODE": "fixture"]), requestID: "req-7")

    @Test("a bare list of steps gets request_id and final_synthesis and then validates")
    func bareList() throws {
        let (plan, notes) = repair.repair([["id": "ocr", "tool": "receipt_ocr", "depends_on": [], "input": ["image_uri": "a.png"]]])
        #expect(plan["request_id"] == "req-7")
        #expect(plan["final_synthesis"]?["prompt_template"]?.stringValue?.contains("{{steps}}") == true)
        #expect(notes == ["the answer was a bare list of steps; wrapped it as {\"steps\": …}"])
        _ = try PlanValidator(catalog: repair.catalog).validate(json: plan)
    }

    @Test("depends_on inside input moves out; {{ID.field}}, $ID and bare ID.field of a dependency become step: references")
    func referencesAndNesting() throws {
        let answer: JSONValue = ["steps": [
            ["id": "ocr", "tool": "receipt_ocr", "input": ["image_uri": "a.png"]],
            ["id": "parse", "tool": "line_item_parser", "input": ["ocr_text": "{{ocr.text}}", "depends_on": ["ocr"]]],
            ["id": "cat", "tool": "expense_categorizer", "depends_on": ["parse"], "input": ["items": "parse.items"]],
            ["id": "stats", "tool": "function_call", "depends_on": [], "input": ["name": "compute_item_statistics", "args": ["items": "$cat.categorized"]]],
        ]]
        let (plan, notes) = repair.repair(answer)
        let steps = try #require(plan["steps"]?.arrayValue)
        #expect(steps[1]["depends_on"] == ["ocr"])
        #expect(steps[1]["input"] == ["ocr_text": "step:ocr.text"])
        #expect(steps[2]["input"] == ["items": "step:parse.items"])
        #expect(steps[3]["input"]?["args"] == ["items": "step:cat.categorized"])
        #expect(notes.contains("step 'parse': moved depends_on out of input"))
        #expect(notes.contains("step 'cat': input.items: read 'parse.items' as the reference 'step:parse.items'"))
        _ = try PlanValidator(catalog: repair.catalog).validate(json: plan)
    }

    @Test("a bare word that only looks like a step id stays a literal unless the step depends on it")
    func literalsStay() {
        #expect(PlanRepair.reference("food", ids: ["food"], dependsOn: []) == nil)
        #expect(PlanRepair.reference("food", ids: ["food"], dependsOn: ["food"]) == "step:food")
        #expect(PlanRepair.reference("${food.total}", ids: ["food"], dependsOn: []) == "step:food.total")
        #expect(PlanRepair.reference("step:food", ids: ["food"], dependsOn: []) == nil)
        #expect(PlanRepair.reference("{{nothing}}", ids: ["food"], dependsOn: []) == nil)
    }

    @Test("numbers written as strings become numbers where the function's schema wants one, \"8%\" included")
    func numericStrings() throws {
        let (plan, notes) = repair.repair(["steps": [
            ["id": "tax", "tool": "function_call", "depends_on": [], "input": ["name": "compute_tax", "args": ["amount": "12.5", "tax_rate": "8%"]]],
        ]])
        #expect(plan["steps"]?.arrayValue?.first?["input"]?["args"] == ["amount": 12.5, "tax_rate": 0.08])
        #expect(notes.count == 2)
        let result = try PlanValidator(catalog: repair.catalog).validate(json: plan)
        #expect(result.plan.steps.count == 1)
    }

    @Test("a reference into a function_call's output that skips 'result' goes through it; other steps' references stay")
    func functionResults() async throws {
        // The live 1.5B's plan for "Apply a 15% discount to 80 dollars, then compute 8% tax on the discounted price".
        let (plan, notes) = repair.repair(["steps": [
            ["id": "discount", "tool": "function_call", "depends_on": [], "input": ["name": "apply_discount", "args": ["amount": 80, "discount_percent": 15]]],
            ["id": "tax", "tool": "function_call", "depends_on": ["discount"], "input": ["name": "compute_tax", "args": ["amount": "step:discount.final", "tax_rate": 0.08]]],
            ["id": "again", "tool": "function_call", "depends_on": ["discount"], "input": ["name": "compute_tax", "args": ["amount": "step:discount.result.final"]]],
        ]])
        let steps = try #require(plan["steps"]?.arrayValue)
        #expect(steps[1]["input"]?["args"]?["amount"] == "step:discount.result.final")
        #expect(steps[2]["input"]?["args"]?["amount"] == "step:discount.result.final")
        #expect(notes == [#"step 'tax': input.args.amount: 'step:discount.final' reads a function_call's output, which is {"result": …}; made it 'step:discount.result.final'"#])
        let run = await PlanEngine().run(try PlanValidator(catalog: repair.catalog).validate(json: plan))
        #expect(run.steps.first { $0.id == "tax" }?.output == ["result": 5.44])
        #expect(PlanRepair.throughResult("step:ocr.text", ids: ["ocr"], functionSteps: []) == nil)
        #expect(PlanRepair.throughResult("step:tax", ids: ["tax"], functionSteps: ["tax"]) == nil)
    }

    @Test("what has no single reading is left for the validator: a duplicate id stays")
    func duplicatesStay() {
        let step: JSONValue = ["id": "a", "tool": "receipt_ocr", "depends_on": [], "input": ["image_uri": "a.png"]]
        let (plan, notes) = repair.repair(["steps": [step, step]])
        #expect(notes.isEmpty)
        #expect(throws: PlanValidationError.self) { try PlanValidator(catalog: repair.catalog).validate(json: plan) }
    }
}

extension PlanRepairTests {
    /// What the local 1.5B planner wrote for the seed request (Fixtures/planner/live-answers/seed-tax.json, abridged).
    @Test("ids written as references lose their 'step:' prefix; a function_call named by its id gets name and args")
    func localPlannerSlips() throws {
        let (plan, notes) = repair.repair(["steps": [
            ["id": "step:receipt_ocr", "tool": "receipt_ocr", "depends_on": [], "input": ["image_uri": "a.png"]],
            ["id": "step:line_item_parser", "tool": "line_item_parser", "depends_on": ["step:receipt_ocr"], "input": ["text": "step:receipt_ocr.text"]],
            ["id": "step:compute_item_statistics", "tool": "function_call", "depends_on": ["step:line_item_parser"],
             "input": ["items": "step:line_item_parser.items"]],
        ]])
        let steps = try #require(plan["steps"]?.arrayValue)
        #expect(steps.map { $0["id"] } == ["receipt_ocr", "line_item_parser", "compute_item_statistics"])
        #expect(steps[1]["depends_on"] == ["receipt_ocr"])
        #expect(steps[2]["input"] == ["name": "compute_item_statistics", "args": ["items": "step:line_item_parser.items"]])
        #expect(notes.contains("step 'receipt_ocr': the id was written 'step:receipt_ocr'; dropped the 'step:' prefix"))
        _ = try PlanValidator(catalog: repair.catalog).validate(json: plan)
    }
}
