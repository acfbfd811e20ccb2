import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
@testable import OrchEvalCLI
import Testing

/// `orch-eval plan` replaying the planner's committed cassette, and `exec` with small-model
/// workers against a loopback Ollama server.
@Suite("orch-eval plan and two-model exec")
struct PlanCommandTests {
    static let request = "Process the receipt at Fixtures/receipts/seed-receipt.png, categorize its items and compute tax at 8%"
    /// The local planner's cassette of Tests/OrchestratorTests/PlannerTests.swift.
    static let replay = ["--provider", "openai-compatible", "--model", "qwen2.5-coder-1.5b",
                         "--cassette", "Cassettes/PlannerTests/planner-openai-compatible.json"]
    static let environment = ["OCR_MODE": "fixture", "LOCAL_MODEL_URL": "http://127.0.0.1:8081/v1"]

    @Test("--json prints the plan, rounds, calls and problems; --exec adds the run, whose usage counts the planner")
    func planAndExec() async throws {
        let (status, out, err) = await orchEval(["plan", Self.request, "--json", "--exec"] + Self.replay, environment: Self.environment)
        #expect(status == 0, "\(err)")
        let result = try JSONValue(parsing: out)
        #expect(Set(result.objectValue?.keys.map { $0 } ?? []) == ["plan", "rounds", "calls", "problems", "notes", "run"])
        #expect(result["rounds"] == 1 && result["problems"] == [])
        #expect(result["calls"]?.arrayValue?.first?["provider"] == "openai-compatible")
        #expect(result["calls"]?.arrayValue?.first?["usage"] == ["input_tokens": 604, "output_tokens": 181, "cached_input_tokens": 0])
        #expect(result["run"]?["status"] == "succeeded")
        #expect(result["run"]?["steps"]?["tax"]?["output"] == ["result": 0.68])
        #expect(result["run"]?["usage"]?["by_role"]?["planner"]?["calls"] == 1)
        #expect(result["run"]?["model_calls"]?.arrayValue?.first?["role"] == "planner")
    }

    /// Provider, model and environment of each synthetic planner cassette (Tests/OrchestratorTests/PlannerTests.swift).
    static let providers: [(String, String, [String: String])] = [
        ("openai", "gpt-4o", ["OPENAI_API_KEY": "test-openai-key"]),
        ("azure-openai", "gpt-4o", ["AZURE_OPENAI_API_KEY": "test-azure-key", "AZURE_OPENAI_ENDPOINT": "https://example-resource.openai.azure.com"]),
        ("anthropic", "claude-sonnet-4-5", ["ANTHROPIC_API_KEY": "test-anthropic-key"]),
        ("gemini", "gemini-2.5-flash", ["GOOGLE_API_KEY": "test-gemini-key"]),
        ("ollama", "qwen2.5-coder:1.5b", [:]),
        ("openai-compatible", "qwen2.5-coder-1.5b", ["LOCAL_MODEL_URL": "http://127.0.0.1:8081/v1"]),
    ]

    @Test("plan --provider P --json gives a validated plan for every provider's wire format", arguments: providers)
    func everyProvider(_ provider: String, _ model: String, _ variables: [String: String]) async throws {
        let (status, out, err) = await orchEval(["plan", Self.request, "--provider", provider, "--model", model, "--json",
                                                 "--cassette", "Cassettes/PlannerTests/planner-\(provider).json"],
                                                environment: variables.merging(["OCR_MODE": "fixture"]) { a, _ in a })
        #expect(status == 0, "\(err)")
        let result = try JSONValue(parsing: out)
        #expect(result["problems"] == [] && result["rounds"] == 1)
        #expect(result["plan"]?["steps"]?.arrayValue?.count == 4)
        #expect(result["calls"]?.arrayValue?.first?["provider"] == .string(provider))
    }

    @Test("--out writes the plan, which exec then runs")
    func outFile() async throws {
        let dir = try TemporaryDirectory()
        let file = dir.url.appendingPathComponent("plan.json").path
        let (status, out, _) = await orchEval(["plan", Self.request, "--out", file] + Self.replay, environment: Self.environment)
        #expect(status == 0)
        #expect(out.hasPrefix("Plan req-planned: valid after 1 round (4 steps)"))
        #expect(out.contains("Models: 1 call (planner 1), 604 input + 181 output tokens, $0.0000"))
        let (execStatus, summary, _) = await orchEval(["exec", file], environment: Self.environment)
        #expect(execStatus == 0)
        #expect(summary.contains("ok   tax"))
    }

    @Test("unusable arguments or configuration exit 2 with the reason")
    func usage() async {
        let cases: [([String], String)] = [
            (["plan", Self.request], "no planner provider: pass --provider or set PLANNER_PROVIDER"),
            (["plan", Self.request, "--provider", "openai-compatible", "--record", "all"], "--record needs --cassette FILE"),
            (["plan", "  ", "--provider", "openai-compatible"], "the request is empty"),
            (["plan", Self.request, "--provider", "nope"], "unknown provider 'nope'"),
            (["plan", Self.request, "--provider", "openai"], "OPENAI_API_KEY is not set"),
        ]
        for (arguments, message) in cases {
            let (status, _, err) = await orchEval(arguments, environment: Self.environment)
            #expect(status == 2, "\(arguments)")
            #expect(err.contains(message), "\(err)")
        }
    }

    @Test("a planner whose answers never validate: exit 1 and the problems")
    func noValidPlan() async throws {
        struct Wrong: HTTPTransport {
            func send(_ request: HTTPRequest) async throws -> HTTPResponse {
                let plan = #"{\"steps\": [{\"id\": \"a\", \"tool\": \"scanner\", \"depends_on\": [], \"input\": {}}]}"#
                return HTTPResponse(status: 200, body: Data(#"{"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m", "choices": [{"index": 0, "message": {"role": "assistant", "content": "\#(plan)"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 500, "completion_tokens": 40, "total_tokens": 540}}"#.utf8))
            }
        }
        let captured = CapturedIO()
        let status = await PlanCommand.run([Self.request, "--provider", "openai-compatible"], io: captured.io(environment: Self.environment),
                                           context: CommandContext(transport: Wrong()))
        #expect(status == 1)
        #expect(captured.out.hasPrefix("No valid plan after 2 rounds:\n  - step 'a': tool: unknown tool 'scanner'"))
        #expect(captured.out.contains("Models: 2 calls (planner 2), 1000 input + 80 output tokens"))
    }

    /// An Ollama server whose model answers `content` to every chat.
    func ollama(_ content: @escaping @Sendable (String) -> String) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            let asked = (try? JSONValue(parsing: request.body))?["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
            let body: JSONValue = ["model": "qwen2.5-coder:0.5b", "created_at": "2026-12-02T14:13:43Z",
                                   "message": ["role": "assistant", "content": .string(content(asked))], "done": true, "done_reason": "stop",
                                   "total_duration": 900_000_000, "prompt_eval_count": 120, "eval_count": 60]
            return .json(body.serialized())
        }
    }

    @Test("USE_SMALL_MODEL=true SMALL_MODEL_BACKEND=ollama: the hybrid plan takes items and categories from the model, each step naming it")
    func smallModelWorkers() async throws {
        let server = try ollama { asked in
            asked.contains("Coffee 3.50")
                ? #"{"items": [{"description": "Coffee", "quantity": 1, "unit_price": 3.5, "total": 3.5}, {"description": "Bagel", "quantity": 2, "unit_price": 2.5, "total": 5.0}]}"#
                : #"{"items": [{"item": "Coffee", "kind": "beverage"}, {"item": "Bagel", "kind": "food"}]}"#
        }
        defer { server.stop() }
        var environment = Self.environment
        environment.merge(["USE_SMALL_MODEL": "true", "SMALL_MODEL_BACKEND": "ollama", "WORKER_MODEL": "qwen2.5-coder:0.5b",
                           "OLLAMA_API_URL": server.baseURL.absoluteString]) { _, new in new }
        let (status, out, err) = await orchEval(["exec", "Fixtures/plans/example_plan_hybrid.json", "--json"], environment: environment)
        #expect(status == 0, "\(err)")
        let result = try JSONValue(parsing: out)
        for step in ["step-2", "step-3"] {
            #expect(result["steps"]?[step]?["metadata"]?["method"] == "model", "\(step)")
            #expect(result["steps"]?[step]?["model_calls"]?.arrayValue?.first?["model"] == "qwen2.5-coder:0.5b")
            #expect(result["steps"]?[step]?["model_calls"]?.arrayValue?.first?["step"] == .string(step))
        }
        #expect(result["usage"]?["by_role"]?["worker"]?["calls"] == 2)
        #expect(result["usage"]?["by_model"]?["ollama/qwen2.5-coder:0.5b"]?["input_tokens"] == 240)
        #expect(result["steps"]?["step-3"]?["output"]?["categorized"]?.arrayValue?.compactMap { $0["category"]?.stringValue } == ["beverage", "food"])
    }

    @Test("the model answering prose: every step still succeeds, through the rules, and says fallback")
    func proseFallsBack() async throws {
        let server = try ollama { _ in "Sure! The receipt shows a coffee and two bagels." }
        defer { server.stop() }
        var environment = Self.environment
        environment.merge(["USE_SMALL_MODEL": "true", "SMALL_MODEL_BACKEND": "ollama", "OLLAMA_API_URL": server.baseURL.absoluteString]) { _, new in new }
        let (status, out, _) = await orchEval(["exec", "Fixtures/plans/example_plan_hybrid.json", "--json"], environment: environment)
        #expect(status == 0)
        let result = try JSONValue(parsing: out)
        #expect(result["status"] == "succeeded")
        for step in ["step-2", "step-3"] {
            #expect(result["steps"]?[step]?["output"]?["fallback"]?["reason"]?.stringValue?.hasPrefix("the answer is not JSON: Sure!") == true)
            #expect(result["steps"]?[step]?["metadata"]?["method"] != "model")
        }
        #expect(result["steps"]?["step-statistics"]?["status"] == "succeeded")
    }

    @Test("a plan whose synthesis names the large model needs one configured: exit 2 naming the variable")
    func synthesisNeedsModel() async throws {
        let dir = try TemporaryDirectory()
        let plan = try dir.write("plan.json", #"{"request_id": "r", "steps": [{"id": "t", "tool": "function_call", "input": {"name": "compute_tax", "args": {"amount": 10}}}], "final_synthesis": {"prompt_template": "{{steps}}", "meta": {"synthesis_model": "large"}}}"#)
        let (status, _, err) = await orchEval(["exec", plan])
        #expect(status == 2)
        #expect(err.contains("no planner provider: pass --provider or set PLANNER_PROVIDER"))
    }

    @Test("without USE_SMALL_MODEL nothing asks a model: usage is all zero")
    func noModel() async throws {
        let (status, out, _) = await orchEval(["exec", "Fixtures/plans/example_plan_hybrid.json", "--json"])
        #expect(status == 0)
        let result = try JSONValue(parsing: out)
        #expect(result["usage"]?["total"]?["calls"] == 0)
        #expect(result["steps"]?["step-2"]?["model_calls"] == nil)
    }
}
