import Foundation
import Testing
@testable import OrchEval
import OrchJSON

@Suite("suite files")
struct SuiteLoaderTests {
    @Test("schema problems name the case and the field, all at once")
    func schemaProblemsNameCaseAndField() throws {
        let json: JSONValue = [
            "format_version": 1, "name": "s",
            "configurations": [["name": "x", "planner": "golden", "workers": ["kind": "rulez"]]],
            "cases": [
                ["id": "ok", "request": "r", "golden_plan": ["request_id": "r", "steps": [["id": "a", "tool": "code_exec"]]],
                 "assertions": [["kind": "approx", "select": "step:b.total", "expected": 1]]],
                ["id": "bad", "request": "", "golden_plan": ["request_id": "r", "steps": [["id": "a", "tool": "t"]]]],
            ],
        ]
        let error = try #require(throws: SuiteError.self) { try SuiteLoader.decode(json, file: "s.json") }
        #expect(error.problems.contains { $0.hasPrefix("configurations[0] ('x'): workers.kind:") })
        #expect(error.problems.contains { $0.hasPrefix("cases[1] (case 'bad'): request:") })
    }

    @Test("the planner is given the inputs the request does not quote, one compact JSON line each")
    func plannerRequestCarriesInputs() {
        let items: JSONValue = [["description": "Milk", "total": 2.98]]
        let groceries = SuiteCase(id: "g", request: "Total these items.", inputs: ["items": items, "note": "paid cash"], goldenPlan: [:])
        #expect(groceries.plannerRequest == "Total these items.\n\nInputs:\nitems: [{\"description\":\"Milk\",\"total\":2.98}]\nnote: \"paid cash\"")
        let receipt = SuiteCase(id: "r", request: "List the items of Fixtures/receipts/receipt-01.png",
                                inputs: ["image": "Fixtures/receipts/receipt-01.png"], goldenPlan: [:])
        #expect(receipt.plannerRequest == receipt.request, "an input the request quotes is not repeated")
    }

    @Test("a selector must name a step of the golden plan")
    func selectorNamesGoldenStep() throws {
        let json: JSONValue = [
            "format_version": 1, "name": "s",
            "configurations": [["name": "x", "planner": "golden", "workers": ["kind": "rules"]]],
            "cases": [["id": "c1", "request": "r", "golden_plan": ["request_id": "r", "steps": [["id": "a", "tool": "code_exec", "input": [:]]]],
                       "assertions": [["kind": "approx", "select": "step:b.total", "expected": 1]]]],
        ]
        let error = try #require(throws: SuiteError.self) { try SuiteLoader.decode(json, file: "s.json") }
        #expect(error.problems == ["cases[0] (case 'c1'): assertions[0] (approx): select 'step:b.total' names no step of the golden plan (steps: a); write step:ID.path or synthesis"])
    }

    @Test("cases come from a JSONL file too; golden plans from files beside the suite")
    func jsonlCases() throws {
        let scratch = try ScratchFolder()
        let plan = #"{"request_id": "r", "steps": [{"id": "t", "tool": "function_call", "input": {"name": "compute_tax", "args": {"amount": 10}}}]}"#
        try plan.write(to: scratch.url.appendingPathComponent("plan.json"), atomically: true, encoding: .utf8)
        let lines = [#"{"id": "j1", "request": "tax on 10", "golden_plan_file": "plan.json", "assertions": [{"kind": "equals", "select": "step:t.result", "expected": 0.7}]}"#,
                     #"{"id": "j2", "request": "again", "golden_plan_file": "plan.json"}"#]
        try lines.joined(separator: "\n").write(to: scratch.url.appendingPathComponent("cases.jsonl"), atomically: true, encoding: .utf8)
        let suite = #"{"format_version": 1, "name": "j", "cases_file": "cases.jsonl", "configurations": [{"name": "r", "planner": "golden", "workers": {"kind": "rules"}}]}"#
        let path = scratch.url.appendingPathComponent("suite.json")
        try suite.write(to: path, atomically: true, encoding: .utf8)
        let loaded = try SuiteLoader.load(path.path)
        #expect(loaded.cases.map(\.id) == ["j1", "j2"])
        #expect(loaded.cassetteFolder == "Cassettes/suites/j")

        try (lines[0] + "\n{\"id\": \"j1\", \"request\": 3}\n").write(to: scratch.url.appendingPathComponent("cases.jsonl"), atomically: true, encoding: .utf8)
        let error = try #require(throws: SuiteError.self) { try SuiteLoader.load(path.path) }
        #expect(error.problems.contains { $0.contains("cases.jsonl:2 (case 'j1'): request:") })
    }

    @Test("the suite schema compiles and the committed suite satisfies it")
    func committedSuiteLoads() throws {
        _ = try JSONSchema(SuiteSchema.suite)
        let suite = try SuiteLoader.load(packageRoot.appendingPathComponent("Fixtures/suites/receipts.json").path)
        #expect(suite.cases.count { $0.tags.contains("receipt") } >= 40)
        #expect(suite.cases.count { !$0.tags.contains("receipt") } >= 10)
        #expect(suite.configurations.map(\.name).contains("rules-only"))
    }
}

@Suite("docs: suites")
struct SuitesDocTests {
    @Test("docs/suites.md's example suite loads and its rules-only configuration passes")
    func exampleSuiteRuns() async throws {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("docs/suites.md"), encoding: .utf8)
        let block = try #require(text.components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "\n```").first)
        let suite = try SuiteLoader.decode(try JSONValue(parsing: block), file: "docs/suites.md")
        let scratch = try ScratchFolder()
        let outcome = try await SuiteRunner(suite: suite, options: replayOptions(in: scratch)).run()
        #expect(outcome.results.map(\.status) == [.succeeded])
        #expect(outcome.results.first?.assertions.allSatisfy(\.passed) == true)
        #expect(outcome.unavailable["large-only"] != nil)
    }
}
