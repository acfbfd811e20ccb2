import Cassettes
import Foundation
import Testing
@testable import OrchEval
import OrchJSON

/// A stand-in for the local model servers while recording: answers like an OpenAI-compatible
/// server. The planner gets the case's golden plan back; the line-item worker a fixed list
/// (right or wrong, to see the checks); the categorizer `food` for every item.
struct ModelServer: HTTPTransport {
    var items: JSONValue
    var plan: JSONValue

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try JSONValue(parsing: request.body)
        let system = body["messages"]?.arrayValue?.first?["content"]?.stringValue ?? ""
        let answer: JSONValue
        if system.hasPrefix("List the items") {
            answer = ["items": items]
        } else if system.hasPrefix("Give each item its kind of expense") {
            let names = (body["messages"]?.arrayValue?.last?["content"]?.stringValue ?? "").split(separator: "\n")
                .map { $0.split(separator: " ", maxSplits: 1).last.map(String.init) ?? "" }
            answer = ["items": .array(names.map { ["item": .string($0), "kind": "food"] })]
        } else {
            answer = plan
        }
        let reply: JSONValue = [
            "id": "chatcmpl-test", "object": "chat.completion", "model": body["model"] ?? "m",
            "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": .string(answer.serialized())]]],
            "usage": ["prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120],
        ]
        return HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: reply.serializedData())
    }
}

struct ScratchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

@Suite("model configurations")
struct ModelConfigurationsTests {
    /// The first receipt case of the committed suite under a two-model configuration whose
    /// servers are the seed's two local URLs.
    func twoModelSuite() throws -> (Suite, SuiteCase) {
        let committed = try SuiteLoader.load(packageRoot.appendingPathComponent("Fixtures/suites/receipts.json").path)
        let receipt = try #require(committed.cases.first { $0.id == "receipt-01-itemize" })
        let configuration = Configuration(
            name: "two-model", planner: .model(provider: "openai-compatible", model: "big"),
            workers: WorkerChoice(kind: .small, model: .model(provider: "openai-compatible", model: "small")), ocrMode: "fixture")
        var suite = Suite(name: "models", configurations: [configuration], cases: [receipt])
        suite.configurations[0].environment = ["LOCAL_MODEL_URL": "http://127.0.0.1:8081/v1", "WORKER_MODEL_URL": "http://127.0.0.1:8082/v1"]
        return (suite, receipt)
    }

    /// The case's expected items, as a model that read the receipt right would answer.
    func goldenItems(_ receipt: SuiteCase) throws -> JSONValue {
        let check = try #require(receipt.assertions.first { $0.name == "items" }?.check)
        guard case .itemListF1(_, let expected, _, _) = check else { throw ScratchError("receipt-01's 'items' is not item_list_f1") }
        return .array(expected.map { item in
            ["description": .string(item.description), "quantity": .number(item.quantity),
             "unit_price": .number((item.total / item.quantity * 100).rounded() / 100), "total": .number(item.total)]
        })
    }

    @Test("planner and worker models each ask their own server through the case's cassette; replay gives the same ledger")
    func twoModelRecordAndReplay() async throws {
        let (suite, receipt) = try twoModelSuite()
        let scratch = try ScratchFolder()
        let server = ModelServer(items: try goldenItems(receipt), plan: receipt.goldenPlan)
        let recorded = try await SuiteRunner(suite: suite, factory: ModelConfigurations(), options: replayOptions(in: scratch) {
            $0.recordMode = .missing
            $0.upstream = server
        }).run()
        let result = try #require(recorded.results.first)
        #expect(result.status == .succeeded, "\(result.error ?? "")")
        #expect(result.plan?.exact == true)
        #expect(result.usage.map(\.role) == [.planner, .worker])
        #expect(result.usage.map(\.model) == ["openai-compatible/big", "openai-compatible/small"])
        #expect(result.usage.first?.inputTokens == 100)
        #expect(result.fallbacks == nil)
        #expect(result.quality == 1)

        let file = scratch.url.appendingPathComponent("Cassettes/suites/models/two-model/receipt-01-itemize.json")
        let urls = try JSONValue(parsing: Data(contentsOf: file))["interactions"]?.arrayValue?.compactMap { $0["request"]?["url"]?.stringValue }
        #expect(urls == ["http://127.0.0.1:8081/v1/chat/completions", "http://127.0.0.1:8082/v1/chat/completions"])

        // Replay: no server; the virtual time is the recorded latencies on the critical path.
        let replayed = try await SuiteRunner(suite: suite, factory: ModelConfigurations(), options: replayOptions(in: scratch)).run()
        let again = try #require(replayed.results.first)
        #expect(again.status == .succeeded)
        #expect(again.usage.map(\.model) == result.usage.map(\.model))
        #expect(again.usage.map(\.outputTokens) == [20, 20])
        let exchanges = try JSONValue(parsing: Data(contentsOf: file))["interactions"]?.arrayValue?.compactMap { $0["latency"]?["total_ms"]?.doubleValue } ?? []
        #expect(again.usage.map(\.latencyMs) == exchanges)
        #expect(again.virtualMs == exchanges.reduce(0, +))
        #expect(again.stepVirtualMs["parse"] == exchanges.last)
    }

    @Test("a worker answer that fails the receipt checks falls back to the rules, and the case says so")
    func workerFallbackIsCounted() async throws {
        let (suite, receipt) = try twoModelSuite()
        let scratch = try ScratchFolder()
        let wrong: JSONValue = [["description": "Caviar", "quantity": 1, "unit_price": 999, "total": 999]]
        let outcome = try await SuiteRunner(suite: suite, factory: ModelConfigurations(), options: replayOptions(in: scratch) {
            $0.recordMode = .missing
            $0.upstream = ModelServer(items: wrong, plan: receipt.goldenPlan)
        }).run()
        let result = try #require(outcome.results.first)
        #expect(result.status == .succeeded)
        #expect(result.fallbacks?.keys.sorted() == ["parse"])
        let report = Report.build(suite, outcome: outcome)
        #expect(report.markdown().contains("| two-model | worker | 1.0 | 100 | 20 |"))
        #expect(report.markdown().contains("1 of 1"))
    }

    @Test("replay needs no provider key; recording without one names the variable")
    func keysOnlyForRecording() async throws {
        let (base, receipt) = try twoModelSuite()
        var suite = base
        suite.configurations[0] = Configuration(name: "gpt", planner: .model(provider: "openai", model: "gpt-4o"), workers: WorkerChoice(kind: .rules))
        let scratch = try ScratchFolder()
        let server = ModelServer(items: [], plan: receipt.goldenPlan)
        let withKey = try await SuiteRunner(suite: suite, factory: ModelConfigurations(placeholderKeys: false), options: replayOptions(in: scratch) {
            $0.recordMode = .missing
            $0.upstream = server
            $0.environment["OPENAI_API_KEY"] = "sk-test-recording"
        }).run()
        #expect(withKey.results.first?.status == .succeeded)
        let cassette = try String(contentsOf: scratch.url.appendingPathComponent("Cassettes/suites/models/gpt/receipt-01-itemize.json"), encoding: .utf8)
        #expect(!cassette.contains("sk-test-recording"))

        let replay = try await SuiteRunner(suite: suite, factory: ModelConfigurations(), options: replayOptions(in: scratch)).run()
        #expect(replay.results.first?.status == .succeeded)

        try FileManager.default.removeItem(at: scratch.url.appendingPathComponent("Cassettes"))
        let keyless = try await SuiteRunner(suite: suite, factory: ModelConfigurations(placeholderKeys: false), options: replayOptions(in: scratch) {
            $0.recordMode = .missing
            $0.upstream = server
        }).run()
        #expect(keyless.results.first?.status == .error)
        #expect(keyless.results.first?.error?.contains("OPENAI_API_KEY") == true)
    }

    @Test("in replay, a worker call the cassette does not hold is the case's error, not a quiet fallback to the rules")
    func missingRecordingIsAnError() async throws {
        let (base, _) = try twoModelSuite()
        var suite = base
        suite.configurations[0].planner = .golden
        let scratch = try ScratchFolder()
        let outcome = try await SuiteRunner(suite: suite, factory: ModelConfigurations(), options: replayOptions(in: scratch)).run()
        let result = try #require(outcome.results.first)
        #expect(result.status == .error)
        #expect(result.error?.contains("has no recorded interaction") == true)
        #expect(result.quality == 0)
    }

    @Test("an unknown provider makes the configuration unavailable, with the providers it could name")
    func unknownProvider() throws {
        let (suite, _) = try twoModelSuite()
        let configuration = Configuration(name: "x", planner: .model(provider: "openia", model: "gpt-4o"), workers: WorkerChoice(kind: .rules))
        let error = try #require(throws: EvalError.self) { try ModelConfigurations().executor(for: configuration, suite: suite) }
        #expect("\(error)".contains("unknown provider 'openia'; use one of openai, azure-openai"))
    }

    @Test("a suite's configuration environment may not hold a key")
    func environmentRefusesSecrets() throws {
        let json: JSONValue = [
            "format_version": 1, "name": "s",
            "configurations": [["name": "x", "planner": ["provider": "openai", "model": "gpt-4o"], "workers": ["kind": "rules"],
                                "environment": ["OPENAI_API_KEY": "sk-1", "OPENAI_BASE_URL": "http://127.0.0.1:1/v1"]]],
            "cases": [["id": "c1", "request": "r", "golden_plan": ["request_id": "r", "steps": [["id": "a", "tool": "code_exec", "input": [:]]]]]],
        ]
        let error = try #require(throws: SuiteError.self) { try SuiteLoader.decode(json, file: "s.json") }
        #expect(error.problems == ["configuration 'x': environment: 'OPENAI_API_KEY' looks like a secret; set it in the environment or .env, never in a suite file"])
    }
}
