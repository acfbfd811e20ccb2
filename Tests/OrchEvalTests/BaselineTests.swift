import Foundation
import Testing
@testable import OrchEval

/// The committed suite, replayed offline under every configuration (the live and synthetic
/// cassettes of the model configurations included), must not regress against
/// `Reports/baseline.json` (regenerate it with the command in docs/suites.md when a change is
/// meant to move the figures).
@Suite("committed suite against the baseline")
struct BaselineTests {
    @Test("the replay of Fixtures/suites/receipts.json matches Reports/baseline.json")
    func noRegression() async throws {
        let suite = try SuiteLoader.load(packageRoot.appendingPathComponent("Fixtures/suites/receipts.json").path)
        let baseline = try ReportFiles.read(packageRoot.appendingPathComponent("Reports/baseline.json").path)
        let options = RunOptions(root: packageRoot,
                                 environment: ProcessInfo.processInfo.environment.merging(["OCR_MODE": "fixture"]) { _, new in new })
        let runner = SuiteRunner(suite: suite, factory: ModelConfigurations(), options: options)
        let outcome = try await runner.run()
        let current = Report.build(suite, configurations: runner.selectedConfigurations(), outcome: outcome)
        let comparison = ReportComparison(base: baseline, new: current, thresholds: suite.thresholds, paired: true)
        #expect(comparison.regressions.isEmpty, "\(comparison.text)")
        // Replays are deterministic: every case scores as in the baseline.
        let scores = { (r: Report) in r.cases.map { "\($0.result.configuration) \($0.result.caseID) \($0.result.status) \($0.result.quality)" } }
        #expect(scores(current) == scores(baseline))
        #expect(current.configurations.allSatisfy { $0.unavailable == nil }, "every configuration runs offline")
        #expect(current.headline.unavailable == nil, "the headline compares two-model with large-only")
    }
}
