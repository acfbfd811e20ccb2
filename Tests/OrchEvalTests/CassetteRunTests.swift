import Cassettes
import Foundation
import Testing
@testable import OrchEval
import OrchJSON

/// A model-backed executor in miniature: one "planner" exchange through the case's cassette,
/// then the golden plan. It shows how the runner's cassettes, virtual clock and origin work
/// for the configurations the model clients will add.
struct OneExchangeFactory: ConfigurationFactory {
    func executor(for configuration: Configuration, suite: Suite) throws -> any CaseExecutor {
        Executor(rules: try StandardConfigurations().executor(for: Configuration(name: configuration.name, planner: .golden, workers: WorkerChoice(kind: .rules)), suite: suite))
    }

    struct Executor: CaseExecutor {
        let rules: any CaseExecutor
        func execute(_ suiteCase: SuiteCase, context: CaseContext) async throws -> CaseExecution {
            let request = HTTPRequest(method: "POST", url: URL(string: "http://127.0.0.1:9/v1/chat/completions")!,
                                      headers: ["content-type": "application/json"], body: Data(#"{"case":"\#(suiteCase.id)"}"#.utf8))
            let (response, ms) = try await VirtualClock.measure { try await context.transport.send(request) }
            let tokens = (try JSONValue(parsing: response.body))["usage"]?["total_tokens"]?.intValue ?? 0
            var execution = try await rules.execute(suiteCase, context: context)
            execution.usage = [UsageRecord(role: .planner, model: "local/planner", inputTokens: tokens, outputTokens: 0, latencyMs: ms)]
            execution.plannerVirtualMs = ms
            return execution
        }
    }
}

/// The "network" while recording: answers every request with a usage count.
struct Upstream: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: Data(#"{"usage":{"total_tokens":42}}"#.utf8))
    }
}

@Suite("runner with cassettes")
struct CassetteRunTests {
    @Test("record once, then every replay has the same virtual time, from the cassette; origin follows its metadata")
    func virtualTimeFromCassettes() async throws {
        let suite = try arithmeticSuite(cases: 3)
        let scratch = try ScratchFolder()
        let runner = { (mode: RecordMode) in
            SuiteRunner(suite: suite, factory: OneExchangeFactory(), options: replayOptions(in: scratch) {
                $0.recordMode = mode
                $0.upstream = mode == .never ? nil : Upstream()
            })
        }
        let recorded = try await runner(.missing).run()
        #expect(recorded.results.allSatisfy { $0.status != .error && $0.origin == .live })
        let file = runner(.never).cassetteURL(configuration: "rules-only", caseID: "tax-2", trial: 1)
        #expect(file.path.hasSuffix("Cassettes/suites/arith/rules-only/tax-2.json"))
        let cassette = try JSONValue(parsing: Data(contentsOf: file))
        let recordedMs = try #require(cassette["interactions"]?.arrayValue?.first?["latency"]?["total_ms"]?.doubleValue)

        let first = try await runner(.never).run(), second = try await runner(.never).run()
        let virtual = { (o: SuiteRunner.Outcome) in o.results.sorted { $0.caseID < $1.caseID }.map(\.virtualMs) }
        #expect(virtual(first) == virtual(second))
        #expect(first.results.first { $0.caseID == "tax-2" }?.virtualMs == recordedMs)
        #expect(first.results.allSatisfy { $0.usage.first?.inputTokens == 42 })

        // A cassette marked synthetic makes its case's figures synthetic, and the report says so.
        let synthetic = cassette.updating(JSONPath("metadata.origin")) { _ in "synthetic" }
        try synthetic.serializedData(.pretty).write(to: file)
        let mixed = try await runner(.never).run()
        #expect(mixed.results.first { $0.caseID == "tax-2" }?.origin == .synthetic)
        #expect(report(of: suite, mixed).configurations[0].origin == "live+synthetic")

        // Replay only: a case without a cassette is an error naming the request, and the run goes on.
        try FileManager.default.removeItem(at: file)
        let missing = try await runner(.never).run()
        let error = try #require(missing.results.first { $0.caseID == "tax-2" })
        #expect(error.status == .error && error.error?.contains("127.0.0.1:9/v1/chat/completions") == true)
        #expect(missing.results.count == 3)
    }
}
