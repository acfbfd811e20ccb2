import Foundation
import OrchJSON
import Testing
@testable import OrchEvalCLI

/// `run`, `score-plan`, `compare`, `merge` and `reprice` from the command line.
@Suite("orch-eval run and the report commands")
struct EvalCommandTests {
    @Test("score-plan --json prints the documented keys; the seed's two plans share 4 of 7 steps")
    func scorePlanJSON() async throws {
        let (status, out, _) = await orchEval(["score-plan", fixture("Fixtures/plans/example_plan_hybrid.json"),
                                               fixture("Fixtures/plans/example_plan.json"), "--json"])
        #expect(status == 0)
        let score = try JSONValue(parsing: out)
        #expect(Set(score.objectValue?.keys.map { $0 } ?? []) == ["valid", "node_f1", "edge_f1", "argument_f1", "exact", "alignment"])
        #expect(score["alignment"]?["unmatched_golden"] == ["step-merge", "step-tax", "step-statistics"])
        #expect(score["exact"] == false)
    }

    @Test("run writes the four reports; compare passes on the same run and fails on a worse one")
    func runAndCompare() async throws {
        let dir = try TemporaryDirectory()
        let out = dir.url.appendingPathComponent("run").path
        let (status, stdout, err) = await orchEval(["run", fixture("Fixtures/suites/receipts.json"), "--out", out, "--quiet"])
        #expect(status == 0, "\(err)")
        for name in ["report.json", "report.md", "cost-quality.svg", "junit.xml"] { #expect(stdout.contains("\(out)/\(name)")) }
        let report = out + "/report.json"
        #expect(await orchEval(["compare", fixture("Reports/baseline.json"), report, "--paired"]).0 == 0)

        // Make it worse on purpose: every receipt total off by a dollar fails its approx assertion.
        var json = try JSONValue(parsing: String(contentsOfFile: report, encoding: .utf8))
        json = json.updating(JSONPath("cases.*.result.assertions.*")) { assertion in
            guard assertion["name"] == "receipt total" else { return assertion }
            return assertion.updating(JSONPath("passed")) { _ in false }.updating(JSONPath("score")) { _ in 0 }
        }
        let worse = try dir.write("worse.json", json.serialized())
        let (merged, _, _) = await orchEval(["merge", worse, "--out", dir.url.appendingPathComponent("worse").path])
        #expect(merged == 0)
        let (regressed, text, _) = await orchEval(["compare", fixture("Reports/baseline.json"), dir.url.appendingPathComponent("worse/report.json").path])
        #expect(regressed == 1)
        #expect(text.contains("rules-only quality: ") && text.contains("REGRESSION: quality dropped"))
    }

    @Test("a configuration that cannot be built: a clear error and exit 1, the rest reported")
    func unavailableConfigurationsFailClearly() async throws {
        let dir = try TemporaryDirectory()
        let suite = try dir.write("suite.json", """
            {"format_version": 1, "name": "typo", "configurations": [
              {"name": "rules-only", "planner": "golden", "workers": {"kind": "rules"}},
              {"name": "typo", "planner": {"provider": "openia", "model": "gpt-4o"}, "workers": {"kind": "rules"}}],
             "cases": [{"id": "tax", "request": "8% tax on 10", "golden_plan": {"request_id": "tax", "steps": [
               {"id": "tax", "tool": "function_call", "input": {"name": "compute_tax", "args": {"amount": 10, "tax_rate": 0.08}}}]}}]}
            """)
        let (status, _, err) = await orchEval(["run", suite, "--out", dir.url.appendingPathComponent("out").path, "--quiet"])
        #expect(status == 1)
        #expect(err.contains("Error: configuration 'typo' cannot run in this build: unknown provider 'openia'; use one of openai"))
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("out/report.md").path))
    }

    @Test("a stale cassette: the case is marked cassette_miss, the reports are written, run names it and exits 1")
    func staleCassetteFailsTheRun() async throws {
        let dir = try TemporaryDirectory()
        let suite = try dir.write("suite.json", """
            {"format_version": 1, "name": "stale", "cassettes": "\(dir.url.path)/cassettes", "configurations": [
              {"name": "local", "planner": {"provider": "openai-compatible", "model": "qwen2.5-coder-1.5b-instruct"},
               "workers": {"kind": "rules"}, "environment": {"LOCAL_MODEL_URL": "http://127.0.0.1:8081/v1"}}],
             "cases": [{"id": "tax", "request": "8% tax on 10", "golden_plan": {"request_id": "tax", "steps": [
               {"id": "tax", "tool": "function_call", "input": {"name": "compute_tax", "args": {"amount": 10, "tax_rate": 0.08}}}]}}]}
            """)
        // A recording of another request: the planner's request finds nothing to replay.
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("cassettes/local"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture("Cassettes/PlannerTests/planner-openai-compatible.json"),
                                         toPath: dir.url.appendingPathComponent("cassettes/local/tax.json").path)
        let out = dir.url.appendingPathComponent("out")
        let (status, _, err) = await orchEval(["run", suite, "--out", out.path, "--quiet"])
        #expect(status == 1)
        #expect(err.contains("Error: 1 case run found no recording in its cassette (local/tax)"))
        #expect(err.contains("re-record with --record missing"))
        let line = try JSONValue(parsing: String(contentsOf: out.appendingPathComponent("results.jsonl"), encoding: .utf8))
        #expect(line["cassette_miss"] == true && line["status"] == "error")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.md").path))
    }

    @Test("reprice needs its price table; bad inputs are usage errors naming the file")
    func repriceAndErrors() async throws {
        let dir = try TemporaryDirectory()
        let prices = try dir.write("prices.json", #"{"source": "test", "models": {"openai/gpt-4o": {"input_per_million": 5}}}"#)
        let (status, _, _) = await orchEval(["reprice", fixture("Reports/baseline.json"), "--pricing", prices, "--out", dir.url.path])
        #expect(status == 0)
        let repriced = try JSONValue(parsing: String(contentsOfFile: dir.url.appendingPathComponent("report.json").path, encoding: .utf8))
        #expect(repriced["prices"]?["source"] == "test")
        // The providers' table format is read too.
        let table = try dir.write("pricing.json", #"{"version": 1, "models": [{"provider": "openai", "model": "gpt-4o", "input_per_million": 2.5, "output_per_million": 10}]}"#)
        #expect(await orchEval(["reprice", fixture("Reports/baseline.json"), "--pricing", table, "--out", dir.url.appendingPathComponent("t").path]).0 == 0)
        let (broken, _, brokenErr) = await orchEval(["reprice", fixture("Reports/baseline.json"), "--pricing", try dir.write("bad.json", #"{"models": [{"provider": "x"}]}"#), "--out", dir.url.path])
        #expect(broken == 2 && brokenErr.contains("models[0] needs provider, model"))
        let (missing, _, err) = await orchEval(["reprice", fixture("Reports/baseline.json"), "--out", dir.url.path])
        #expect(missing == 2 && err.contains("--pricing FILE and --out DIR are required"))
        let (bad, _, badErr) = await orchEval(["compare", "nope.json", fixture("Reports/baseline.json")])
        #expect(bad == 2 && badErr.contains("nope.json: no such file"))
        let (badSuite, _, suiteErr) = await orchEval(["run", fixture("Fixtures/plans/example_plan.json")])
        #expect(badSuite == 2 && suiteErr.contains("format_version"))
    }

    @Test("compare, merge and reprice refuse a report that breaks docs/report.schema.json, naming file and field")
    func tamperedReport() async throws {
        let dir = try TemporaryDirectory()
        let baseline = try JSONValue(parsing: String(contentsOfFile: fixture("Reports/baseline.json"), encoding: .utf8))
        let tampered = try dir.write("tampered.json", baseline.updating(JSONPath("cases.0.result")) { result in
            var members = result.objectValue ?? [:]
            members["staus"] = members.removeValue(forKey: "status")
            return .object(members)
        }.serialized())
        let prices = try dir.write("prices.json", #"{"source": "test", "models": {}}"#)
        for arguments in [["compare", fixture("Reports/baseline.json"), tampered], ["merge", tampered, "--out", dir.url.path],
                          ["reprice", tampered, "--pricing", prices, "--out", dir.url.path]] {
            let (status, out, err) = await orchEval(arguments)
            #expect(status == 2, "\(arguments[0])")
            #expect(out.isEmpty)
            #expect(err.hasPrefix("Error: \(tampered): cases.0.result.status: missing (required)\nError: \(tampered): cases.0.result.staus: not allowed (known: "), "\(err)")
        }
    }
}

