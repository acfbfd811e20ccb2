import Foundation
import Testing
@testable import OrchEval
import OrchJSON

/// Runs the golden plan with the rules, then dresses the execution up the way model
/// configurations do (usage of every role, a worker step that fell back to its rules, a
/// recorded step latency), fails one case outright and refuses the configuration `missing`:
/// a run whose report sets every optional field.
struct EveryFieldFactory: ConfigurationFactory {
    func executor(for configuration: Configuration, suite: Suite) throws -> any CaseExecutor {
        if configuration.name == "missing" {
            throw EvalError.configurationUnavailable(configuration: "missing", reason: "no such model in this test")
        }
        let rules = try StandardConfigurations().executor(for: Configuration(name: configuration.name, planner: .golden, workers: WorkerChoice(kind: .rules)), suite: suite)
        return Executor(rules: rules, model: "\(configuration.planner)")
    }

    struct Executor: CaseExecutor {
        let rules: any CaseExecutor
        let model: String
        func execute(_ suiteCase: SuiteCase, context: CaseContext) async throws -> CaseExecution {
            if suiteCase.id == "tax-3" { throw EvalError.io("the planner's cassette has no entry for this request") }
            var execution = try await rules.execute(suiteCase, context: context)
            execution.usage = [UsageRecord(role: .planner, model: model, inputTokens: 1000, outputTokens: 100, latencyMs: 800),
                               UsageRecord(role: .worker, stepID: "tax", model: "local/tiny", inputTokens: 200, outputTokens: 20, latencyMs: 50),
                               UsageRecord(role: .synthesis, model: model, inputTokens: 300, outputTokens: 40, latencyMs: 120)]
            if var step = execution.run?.steps.first, case .object(var output) = step.output {
                output["fallback"] = ["reason": "the worker's answer was not JSON"]
                step.output = .object(output)
                step.metadata[MeasuredTool.metadataKey] = 50
                execution.run?.steps[0] = step
            }
            return execution
        }
    }
}

@Suite("report.json against docs/report.schema.json")
struct ReportSchemaTests {
    static let suiteJSON: JSONValue = [
        "format_version": 1, "name": "every-field",
        "prices": ["source": "test prices", "models": ["local/big": ["input_per_million": 10, "output_per_million": 20],
                                                       "local/small": ["input_per_million": 1, "output_per_million": 2],
                                                       "local/tiny": ["per_second": 0.001]]],
        "configurations": [
            ["name": "large-only", "description": "everything set", "planner": ["provider": "local", "model": "big"],
             "workers": ["kind": "small", "model": ["provider": "local", "model": "tiny"]], "synthesis": ["provider": "local", "model": "big"],
             "ocr_mode": "fixture", "cases": ["tax-1", "tax-2", "tax-3"], "environment": ["LOCAL_MODEL_URL": "http://127.0.0.1:9/v1"]],
            ["name": "two-model", "planner": ["provider": "local", "model": "small"], "workers": ["kind": "rules"]],
            ["name": "missing", "planner": "golden", "workers": ["kind": "rules"]],
        ],
        "cases": .array((1...3).map(taxCase)),
    ]

    /// Tax on n × 10: one assertion that passes, one whose selector finds nothing, a cost limit.
    static func taxCase(_ n: Int) -> JSONValue {
        let step: JSONValue = ["id": "tax", "tool": "function_call",
                               "input": ["name": "compute_tax", "args": ["amount": .number(Double(n * 10)), "tax_rate": 0.1]]]
        let assertions: JSONValue = [
            ["name": "tax", "kind": "approx", "select": "step:tax.result", "expected": .number(Double(n)), "abs": 0.001],
            ["name": "absent", "kind": "equals", "select": "step:tax.nothing_here", "expected": 1],
            ["kind": "max_cost", "usd": 0.01],
        ]
        return ["id": .string("tax-\(n)"), "request": .string("Tax on \(n * 10)"), "tags": ["tax"],
                "golden_plan": ["request_id": "tax", "steps": [step]], "assertions": assertions]
    }

    /// The report of a sharded run with every optional field set, and the same results with a
    /// headline that cannot be computed; both as JSON, the way `ReportFiles` writes them.
    private func everyFieldReports() async throws -> [JSONValue] {
        let suite = try SuiteLoader.decode(Self.suiteJSON, file: "every-field.json")
        let scratch = try ScratchFolder()
        let shard = try #require(Shard(index: 0, count: 1))
        var outcome = try await SuiteRunner(suite: suite, factory: EveryFieldFactory(), options: replayOptions(in: scratch) { $0.shard = shard }).run()
        // A stale cassette's case, as `SuiteRunner` marks one (EvalCommandTests runs a real one).
        let failed = try #require(outcome.results.firstIndex { $0.status == .error })
        outcome.results[failed].cassetteMiss = true
        let full = report(of: suite, outcome, shard: shard)
        var noHeadline = full.input
        noHeadline.headline = Headline(baseline: "large-only", candidate: "missing")
        return try [full, Report.build(noHeadline)].map { try JSONValue(parsing: ReportFiles.json($0)) }
    }

    @Test("docs/report.schema.json is ReportSchema.text, byte for byte (ORCH_WRITE_SCHEMA=1 rewrites it)")
    func docsFileIsTheSource() throws {
        let file = packageRoot.appendingPathComponent("docs/report.schema.json")
        if ProcessInfo.processInfo.environment["ORCH_WRITE_SCHEMA"] == "1" {
            try Data(ReportSchema.text.utf8).write(to: file, options: .atomic)
        }
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(committed == ReportSchema.text, "docs/report.schema.json is stale: run ORCH_WRITE_SCHEMA=1 swift test --filter ReportSchemaTests")
    }

    @Test("the schema uses only keywords JSONSchema enforces")
    func everyKeywordEnforced() {
        #expect(ReportSchema.compiled.unsupportedKeywords.isEmpty)
    }

    @Test("the committed Reports/baseline.json conforms")
    func baselineConforms() throws {
        let baseline = try JSONValue(parsing: Data(contentsOf: packageRoot.appendingPathComponent("Reports/baseline.json")))
        #expect(ReportSchema.compiled.violations(of: baseline) == [])
    }

    @Test("a run's report with every optional field conforms, and the schema declares no member the encoder never writes")
    func everyFieldConforms() async throws {
        let reports = try await everyFieldReports()
        for report in reports { #expect(ReportSchema.compiled.violations(of: report) == []) }
        let written = reports.reduce(into: Set<String>()) { $0.formUnion(members(of: $1, in: ReportSchema.document)) }
        let unwritten = members(declaredBy: ReportSchema.document).subtracting(written)
        #expect(unwritten.isEmpty, "declared but never written: \(unwritten.sorted())")
        #expect(reports[0]["cases"]?.arrayValue?.contains { $0["result"]?["status"] == "error" } == true)
        #expect(reports[1]["headline"]?["unavailable"] != nil)
    }

    @Test("a misspelt member, a wrong type and a value outside an enum are each named by their path")
    func violationsNameThePath() async throws {
        let report = try await everyFieldReports()[0]
        let misspelt = report.updating(JSONPath("cases.0.result")) { result in
            var members = result.objectValue ?? [:]
            members["wall_msec"] = members.removeValue(forKey: "wall_ms")
            return .object(members)
        }
        #expect(paths(misspelt) == ["cases.0.result.wall_ms: missing (required)", "cases.0.result.wall_msec: not allowed"])
        #expect(paths(report.updating(JSONPath("configurations.1.runs")) { _ in "3" })
            == [#"configurations.1.runs: expected integer, got string "3""#])
        #expect(paths(report.updating(JSONPath("cases.2.result.status")) { _ in "passed" })
            == [#"cases.2.result.status: expected one of "succeeded", "failed", "error", got string "passed""#])
        #expect(paths(report.updating(JSONPath("cases.0.cost.total_usd")) { _ in -1 }) == ["cases.0.cost.total_usd: expected >= 0, got -1"])
    }

    @Test("ReportFiles.read: a newer format_version names the version it reads; violations beyond ten are counted")
    func readRefuses() async throws {
        let report = try await everyFieldReports()[0]
        let scratch = try ScratchFolder()
        let newer = scratch.url.appendingPathComponent("newer.json").path
        try report.updating(JSONPath("format_version")) { _ in 2 }.serializedData().write(to: URL(fileURLWithPath: newer))
        #expect(throws: EvalError.badReport(file: newer, reason: "format_version 2 cannot be read: this orch-eval reads format_version 1 only")) {
            try ReportFiles.read(newer)
        }
        let broken = scratch.url.appendingPathComponent("broken.json").path
        // Two violations in each of the six case runs.
        try report.updating(JSONPath("cases.*.passed")) { _ in "yes" }.updating(JSONPath("cases.*.result.trial")) { _ in 0 }
            .serializedData().write(to: URL(fileURLWithPath: broken))
        let error = try #require(throws: EvalError.self) { try ReportFiles.read(broken) }
        let lines = "\(error)".split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines[0] == #"\#(broken): cases.0.passed: expected boolean, got string "yes""#)
        #expect(lines[1] == "\(broken): cases.0.result.trial: expected >= 1, got 0")
        #expect(lines[10] == "\(broken): … 2 more")
    }

    /// Each violation as `path: message`, the list of known members cut off.
    private func paths(_ report: JSONValue) -> [String] {
        ReportSchema.compiled.violations(of: report).map { violation in
            let text = violation.description
            return text.range(of: " (known: ").map { String(text[..<$0.lowerBound]) } ?? text
        }
    }
}

/// Every member `schema` declares, as a path (`cases.[].result.error`; `*` for a member of a
/// map keyed by names).
func members(declaredBy schema: JSONValue, at path: String = "") -> Set<String> {
    var found = Set<String>()
    for (name, member) in schema["properties"]?.objectValue ?? [:] {
        found.insert(path + name)
        found.formUnion(members(declaredBy: member, at: path + name + "."))
    }
    if let items = schema["items"] { found.formUnion(members(declaredBy: items, at: path + "[].")) }
    if let additional = schema["additionalProperties"], additional.objectValue != nil {
        found.formUnion(members(declaredBy: additional, at: path + "*."))
    }
    for alternative in (schema["anyOf"]?.arrayValue ?? []) + (schema["allOf"]?.arrayValue ?? []) {
        found.formUnion(members(declaredBy: alternative, at: path))
    }
    return found
}

/// The members of `value` that `schema` declares, as paths like those of `members(declaredBy:)`.
func members(of value: JSONValue, in schema: JSONValue, at path: String = "") -> Set<String> {
    var found = Set<String>()
    switch value {
    case .object(let object):
        let declared = schema["properties"]?.objectValue ?? [:]
        for (name, member) in object {
            if let memberSchema = declared[name] {
                found.insert(path + name)
                found.formUnion(members(of: member, in: memberSchema, at: path + name + "."))
            } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                found.formUnion(members(of: member, in: additional, at: path + "*."))
            }
        }
    case .array(let elements):
        if let items = schema["items"] {
            for element in elements { found.formUnion(members(of: element, in: items, at: path + "[].")) }
        }
    default:
        break
    }
    for alternative in (schema["anyOf"]?.arrayValue ?? []) + (schema["allOf"]?.arrayValue ?? []) {
        found.formUnion(members(of: value, in: alternative, at: path))
    }
    return found
}
