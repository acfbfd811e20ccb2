import Foundation
import Orchestrator
import Providers
import Testing
@testable import OrchEval
import OrchJSON

/// A model configuration's stand-in: runs the golden plan and reports fixed usage per case,
/// the way a model executor reports what its exchanges used.
struct FixedUsageFactory: ConfigurationFactory {
    func executor(for configuration: Configuration, suite: Suite) throws -> any CaseExecutor {
        let rules = try StandardConfigurations().executor(for: Configuration(name: configuration.name, planner: .golden, workers: WorkerChoice(kind: .rules)), suite: suite)
        let tokens = configuration.name == "large-only" ? 1000 : 400
        return Executor(rules: rules, model: "\(configuration.planner)", tokens: tokens)
    }

    struct Executor: CaseExecutor {
        let rules: any CaseExecutor
        let model: String
        let tokens: Int
        func execute(_ suiteCase: SuiteCase, context: CaseContext) async throws -> CaseExecution {
            var execution = try await rules.execute(suiteCase, context: context)
            execution.usage = [UsageRecord(role: .planner, model: model, inputTokens: tokens, outputTokens: tokens / 10, latencyMs: Double(tokens))]
            execution.plannerVirtualMs = Double(tokens)
            return execution
        }
    }
}

@Suite("reports: headline, reprice, compare, renderings")
struct ReportTests {
    let configurations: [JSONValue] = [
        ["name": "large-only", "planner": ["provider": "local", "model": "big"], "workers": ["kind": "rules"]],
        ["name": "two-model", "planner": ["provider": "local", "model": "small"], "workers": ["kind": "rules"]],
    ]

    private func twoConfigurationReport() async throws -> Report {
        var suite = try arithmeticSuite(cases: 6, configurations: configurations)
        suite.prices = PriceSheet(models: ["local/big": TokenPrice(inputPerMillion: 10, outputPerMillion: 20),
                                           "local/small": TokenPrice(inputPerMillion: 10, outputPerMillion: 20)])
        let scratch = try ScratchFolder()
        let outcome = try await SuiteRunner(suite: suite, factory: FixedUsageFactory(), options: replayOptions(in: scratch)).run()
        return report(of: suite, outcome)
    }

    @Test("the headline compares two-model with large-only: cost, latency and quality with intervals")
    func headline() async throws {
        let report = try await twoConfigurationReport()
        // large: 1000 in × $10/M + 100 out × $20/M = $0.012; small: 400 × 10/M + 40 × 20/M = $0.0048.
        #expect(abs((report.configurations[0].metrics["cost_usd"]?.mean ?? 0) - 0.012) < 1e-12)
        #expect(abs((report.configurations[0].costByRole["planner"] ?? 0) - 0.012) < 1e-12)
        #expect(abs((report.configurations[1].costByModel["local/small"] ?? 0) - 0.0048) < 1e-12)
        let ratio = try #require(report.headline.costRatio)
        #expect(abs(ratio.mean - 0.4) < 1e-12 && abs(ratio.low - 0.4) < 1e-12)
        #expect(abs((report.headline.latencyRatio?.mean ?? 0) - 0.4) < 1e-12)  // 400 ms against 1000 ms virtual
        #expect(report.headline.qualityDifference?.mean == 0)
        #expect(report.headline.origin == "none")
        #expect(report.markdown().contains("| cost ratio (two-model / large-only) | 0.400 [0.400, 0.400] | none |"))
    }

    @Test("reprice recomputes costs and cost limits without running anything")
    func reprice() async throws {
        let report = try await twoConfigurationReport()
        let cheaper = report.repriced(with: PriceSheet(models: ["local/big": TokenPrice(inputPerMillion: 1, outputPerMillion: 2)]))
        #expect(abs((cheaper.configurations[0].metrics["cost_usd"]?.mean ?? 0) - 0.0012) < 1e-12)
        #expect(cheaper.configurations[1].unpriced == ["local/small"])
        #expect(cheaper.headline.costRatio?.mean == 0)
        #expect(cheaper.cases.map(\.result) == report.cases.map(\.result))
    }

    @Test("compare: the baseline against itself passes; a worse report fails")
    func compareGate() async throws {
        let base = try await twoConfigurationReport()
        #expect(ReportComparison(base: base, new: base, thresholds: Thresholds(), paired: true).regressions.isEmpty)

        var worse = base.input
        worse.results = worse.results.map { result in
            var r = result
            if r.configuration == "two-model", r.caseID == "tax-1" || r.caseID == "tax-2" {
                r.assertions = r.assertions.map { var a = $0; a.passed = false; a.score = 0; return a }
            }
            return r
        }
        let regressed = ReportComparison(base: base, new: Report.build(worse), thresholds: Thresholds(), paired: false)
        #expect(regressed.regressions.count == 1)
        #expect(regressed.regressions[0].hasPrefix("two-model: quality dropped by 0.333333"))

        let pricier = base.repriced(with: PriceSheet(models: ["local/big": TokenPrice(inputPerMillion: 10.6, outputPerMillion: 21.2),
                                                              "local/small": TokenPrice(inputPerMillion: 10, outputPerMillion: 20)]))
        let costly = ReportComparison(base: base, new: pricier, thresholds: Thresholds(maxCostIncrease: 0.05), paired: false)
        #expect(costly.regressions == ["large-only: cost rose by 6.0% (allowed 5.0%)"])
    }

    @Test("report.json round-trips; JUnit has one testcase per case run; the SVG plots each configuration")
    func files() async throws {
        let report = try await twoConfigurationReport()
        let scratch = try ScratchFolder()
        try ReportFiles.write(report, to: scratch.url)
        let read = try ReportFiles.read(scratch.url.appendingPathComponent("report.json").path)
        #expect(read == report)
        #expect(report.junit.components(separatedBy: "<testcase ").count - 1 == 12)
        #expect(report.junit.contains("<failure message=\"tax\">"))
        #expect(report.costQualitySVG.components(separatedBy: "<circle").count - 1 == 2)
    }
}

@Suite("prices from the providers' table")
struct ProviderPricesTests {
    @Test("a PriceTable resolves into the report's price sheet: dated names, local compute time, gaps left out")
    func resolvesModels() throws {
        let table = PriceTable(prices: [.init(provider: "openai", model: "gpt-4o", inputPerMillion: 2.5, outputPerMillion: 10, source: "test", date: "2026-12-02")],
                               localUSDPerSecond: 0.001)
        let sheet = PriceSheet(table, models: ["openai/gpt-4o-2024-08-06", "openai-compatible/qwen", "anthropic/claude"], source: "t")
        #expect(sheet.models == ["openai/gpt-4o-2024-08-06": TokenPrice(inputPerMillion: 2.5, outputPerMillion: 10),
                                 "openai-compatible/qwen": TokenPrice(perSecond: 0.001)])
        // 2 s of local compute at $0.001/s.
        let usage = UsageRecord(role: .worker, stepID: "parse", model: "openai-compatible/qwen", inputTokens: 500, outputTokens: 80, latencyMs: 2000)
        #expect(CostBreakdown(usage: [usage], prices: sheet).byStep == ["parse": 0.002])
    }
}
