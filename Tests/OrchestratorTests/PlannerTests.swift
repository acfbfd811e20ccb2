import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
@testable import Orchestrator
import Providers
import Testing

/// The planner against each provider's wire format, and its faults.
@Suite struct PlannerTests {
    let catalog = try! StandardTools.catalog(environment: ["OCR_MODE": "fixture"])
    static let request = "Process the receipt at Fixtures/receipts/seed-receipt.png, categorize its items and compute tax at 8%"

    /// What a good planner answers for `request`.
    static let goodPlan = """
        {"steps": [
          {"id": "ocr", "tool": "receipt_ocr", "depends_on": [], "input": {"image_uri": "Fixtures/receipts/seed-receipt.png"}},
          {"id": "parse", "tool": "line_item_parser", "depends_on": ["ocr"], "input": {"ocr_text": "step:ocr"}},
          {"id": "categorize", "tool": "expense_categorizer", "depends_on": ["parse"], "input": {"items": "step:parse"}},
          {"id": "tax", "tool": "function_call", "depends_on": ["parse"],
           "input": {"name": "compute_tax", "args": {"amount": "step:parse.subtotal", "tax_rate": 0.08}}}
        ]}
        """
    static let duplicateID = goodPlan.replacingOccurrences(of: #""id": "tax""#, with: #""id": "ocr""#)

    func planner(_ model: any ChatModel, timeout: Duration = .seconds(30)) -> Planner {
        let prices = PriceTable(prices: [PriceTable.Price(provider: "openai", model: "gpt-4o", inputPerMillion: 2.5, outputPerMillion: 10,
                                                          source: "test", date: "2026-12-02")])
        return Planner(catalog: catalog, model: MeteredModel(model, prices: prices, timeout: timeout))
    }

    @Test("each provider's recorded answer replays into a validated plan with its usage",
          arguments: ["openai", "azure-openai", "anthropic", "gemini", "ollama", "openai-compatible"])
    func replaysCommittedCassette(_ provider: String) async throws {
        let options = CassetteOptions(metadata: CassetteMetadata(origin: .synthetic, notes: "a planner answer in \(provider)'s documented wire format (Tests/OrchestratorTests/Support/ChatWire.swift)"))
        let result = try await withCassette("planner-\(provider)", mode: .once, upstream: ChatWire(provider, answers: [Self.goodPlan]),
                                            options: options) { transport in
            await planner(try chatModel(provider, transport: transport)).plan(Self.request, requestID: "req-receipt")
        }
        let plan = try #require(result.plan, "\(result.problems)")
        #expect(plan.plan.steps.map(\.tool) == ["receipt_ocr", "line_item_parser", "expense_categorizer", "function_call"])
        #expect(result.rounds == 1)
        #expect(result.problems.isEmpty)
        let call = try #require(result.calls.first)
        #expect(result.calls.count == 1)
        #expect(call.role == .planner && call.provider == provider)
        #expect(call.inputTokens != nil && call.outputTokens != nil)
        let listPrice: Double = (604 * 2.5 + 181 * 10) / 1_000_000
        if provider == "openai" { #expect(call.costUSD == listPrice) }
        if provider == "openai-compatible" || provider == "ollama" { #expect(call.costUSD == 0) }
    }

    @Test("a duplicate step id is repaired in a second round whose request carries the validator's message")
    func repairRound() async throws {
        let wire = ChatWire("openai-compatible", answers: [Self.duplicateID, Self.goodPlan])
        let result = await planner(try chatModel("openai-compatible", transport: wire)).plan(Self.request)
        #expect(result.plan != nil)
        #expect(result.rounds == 2)
        #expect(result.calls.count == 2)
        let second = try #require(wire.requests.last?["messages"]?.arrayValue)
        #expect(second.map { $0["role"]?.stringValue ?? "" } == ["system", "user", "assistant", "user"])
        let repair = try #require(second.last?["content"]?.stringValue)
        #expect(repair.contains("step 'ocr': id: the id 'ocr' is used by more than one step; ids must be unique"))
        #expect(wire.requests.first?["response_format"]?["type"] == "json_object")
    }

    @Test("a planner that never gives a valid plan: two rounds, no plan, the last answer's problems")
    func neverValid() async throws {
        let wrong = Self.goodPlan.replacingOccurrences(of: #""tool": "receipt_ocr""#, with: #""tool": "ocr_reader""#)
        let result = await planner(try chatModel("openai", transport: ChatWire("openai", answers: [wrong]))).plan(Self.request)
        #expect(result.plan == nil)
        #expect(result.rounds == 2)
        #expect(result.calls.count == 2)
        #expect(result.problems.contains { $0.stepID == "ocr" && $0.field == "tool" && $0.message.hasPrefix("unknown tool 'ocr_reader'") })
        #expect(result.planJSON?["steps"] != nil)
    }

    @Test("a model that times out: no plan, the timeout as the problem, the call in the ledger without usage")
    func timesOut() async throws {
        let result = await planner(try chatModel("openai", transport: SilentTransport()), timeout: .milliseconds(200)).plan(Self.request)
        #expect(result.plan == nil)
        #expect(result.failure?.code == .timeout)
        #expect(result.rounds == 1)
        #expect(result.problems.first?.message.contains("gave no answer within") == true)
        #expect(result.calls.count == 1 && result.calls[0].inputTokens == nil && result.calls[0].costUSD == nil)
    }

    @Test("garbage instead of JSON: the repair round says so; still garbage gives no plan")
    func garbage() async throws {
        let wire = ChatWire("gemini", answers: ["Sure! First read the receipt, then {parse it"])
        let result = await planner(try chatModel("gemini", transport: wire)).plan(Self.request)
        #expect(result.plan == nil)
        #expect(result.rounds == 2)
        #expect(result.problems.first?.message.hasPrefix("the answer is not JSON: Sure! First read") == true)
        let retry = wire.requests.last?["contents"]?.arrayValue?.last?["parts"]?.arrayValue?.first?["text"]?.stringValue
        #expect(retry?.contains("the answer is not JSON") == true)
    }

    @Test("the usage of a run sums per model and per role, unknown usage counted apart")
    func usageSummary() {
        let calls = [
            ModelCall(role: .planner, provider: "openai", model: "gpt-4o", inputTokens: 600, outputTokens: 180, costUSD: 0.0033, latencyMilliseconds: 900),
            ModelCall(role: .worker, provider: "ollama", model: "qwen", inputTokens: 100, outputTokens: 50, costUSD: 0, latencyMilliseconds: 300),
            ModelCall(role: .worker, provider: "azure-ml", model: "phi3", latencyMilliseconds: 200),
        ]
        let summary = UsageSummary(calls).json
        #expect(summary["total"]?["calls"] == 3)
        #expect(summary["total"]?["input_tokens"] == 700)
        #expect(summary["total"]?["calls_without_usage"] == 1)
        #expect(summary["total"]?["calls_without_cost"] == 1)
        #expect(summary["by_role"]?["worker"]?["calls"] == 2)
        #expect(summary["by_model"]?["openai/gpt-4o"]?["cost_usd"] == 0.0033)
        #expect(calls[2].json["usage"] == .null && calls[2].json["cost_usd"] == .null)
    }
}
