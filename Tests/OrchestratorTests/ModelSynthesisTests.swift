import Cassettes
import Foundation
import OrchJSON
@testable import Orchestrator
import Providers
import Testing

/// `final_synthesis.meta.synthesis_model`: a model writes the final answer from the rendered template.
@Suite struct ModelSynthesisTests {
    let plan = try! PlanValidator(catalog: ToolCatalog([EchoTool()])).validate(json: [
        "request_id": "r-syn",
        "steps": [["id": "a", "tool": "echo", "input": ["total": 9.18]]],
        "final_synthesis": ["prompt_template": "Totals:\n{{steps}}", "meta": ["synthesis_model": "large"]],
    ])

    func run(_ transport: any HTTPTransport) async throws -> RunResult {
        var options = EngineOptions()
        options.synthesisModel = MeteredModel(try chatModel("openai", transport: transport))
        return await PlanEngine(options: options).run(plan)
    }

    @Test("the model's answer is the synthesis; its prompt is the rendered template; the call is in the ledger as synthesis")
    func written() async throws {
        let wire = ChatWire("openai", answers: ["The receipt comes to 9.18."])
        let result = try await run(wire)
        #expect(result.synthesis == "The receipt comes to 9.18.")
        #expect(result.synthesisFallback == nil)
        #expect(wire.requests.first?["messages"]?.arrayValue?.last?["content"]?.stringValue?.hasPrefix("Totals:\n### a (echo): succeeded") == true)
        let json = result.json()
        #expect(json["model_calls"]?.arrayValue?.first?["role"] == "synthesis")
        #expect(json["usage"]?["by_role"]?["synthesis"]?["output_tokens"] == 181)
    }

    @Test("a model that fails leaves the rendered template and says why")
    func fallsBack() async throws {
        struct Refusing: HTTPTransport {
            func send(_ request: HTTPRequest) async throws -> HTTPResponse {
                HTTPResponse(status: 400, body: Data(#"{"error": {"message": "context too long", "type": "invalid_request_error", "param": null, "code": null}}"#.utf8))
            }
        }
        let result = try await run(Refusing())
        #expect(result.synthesis?.hasPrefix("Totals:\n### a (echo): succeeded") == true)
        #expect(result.synthesisFallback?.hasPrefix("the model failed:") == true)
        #expect(result.json()["synthesis_fallback"]?["reason"] != nil)
    }
}
