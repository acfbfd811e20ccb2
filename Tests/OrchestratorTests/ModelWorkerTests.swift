import CassetteTesting
import Cassettes
import Foundation
import OrchJSON
@testable import Orchestrator
import Providers
import ReceiptWorkers
import Testing

/// line_item_parser and expense_categorizer asking a model, checked, with the rules as fallback.
@Suite struct ModelWorkerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let context = StepContext(stepID: "parse")
    let seedText = try! String(contentsOf: root.appendingPathComponent("Fixtures/receipts/seed-receipt.txt"), encoding: .utf8)

    func parser(_ wire: any HTTPTransport, provider: String = "openai-compatible") throws -> ModelAssistedWorker {
        ModelAssistedWorker(rules: ReceiptWorkerTools.lineItemParser(), model: MeteredModel(try chatModel(provider, transport: wire)),
                            assignment: ReceiptModelAssignments.lineItems)
    }

    func categorizer(_ wire: any HTTPTransport) throws -> ModelAssistedWorker {
        ModelAssistedWorker(rules: ReceiptWorkerTools.expenseCategorizer(), model: MeteredModel(try chatModel("openai-compatible", transport: wire)),
                            assignment: ReceiptModelAssignments.categories)
    }

    @Test("items the receipt bears out are the step's output, with the model and its usage recorded")
    func acceptedItems() async throws {
        let wire = ChatWire("openai-compatible", answers: [#"{"items": [{"description": "Coffee", "quantity": 1, "total": 3.5}, {"description": "Bagels", "quantity": 2, "total": 5.0}]}"#])
        let output = try await parser(wire).call(["ocr_text": ["text": .string(seedText), "confidence": 1]], context: context)
        #expect(output.value["items"]?.arrayValue?.compactMap { $0["description"]?.stringValue } == ["Coffee", "Bagels"])
        #expect(output.value["items"]?.arrayValue?.last?["unit_price"] == 2.5, "computed from the total, not asked of the model")
        let schema = wire.requests.first?["response_format"]?["schema"]?["properties"]?["items"]
        #expect(schema?["minItems"] == 1 && schema?["items"]?["required"] == ["description", "quantity", "total"])
        #expect(output.value["subtotal"] == 8.5 && output.value["total"] == 9.18)
        #expect(output.value["fallback"] == nil)
        #expect(output.metadata["method"] == "model")
        #expect(output.metadata["model"] == "openai-compatible/qwen2.5-coder-1.5b")
        #expect(output.modelCalls.count == 1 && output.modelCalls[0].role == .worker && output.modelCalls[0].inputTokens == 604)
        let sent = try #require(wire.requests.first)
        #expect(sent["messages"]?.arrayValue?.last?["content"]?.stringValue == seedText)
        #expect(sent["response_format"]?["schema"]?["required"] == ["items"])
    }

    @Test("answers the receipt does not bear out fall back to the rules, saying why",
          arguments: [
            (#"{"items": [{"description": "Coffee", "quantity": 1, "unit_price": 3.5, "total": 3.95}]}"#, "the total 3.95 is not printed on the receipt"),
            (#"{"items": [{"description": "Bagel", "quantity": 2, "unit_price": 5.0, "total": 5.0}]}"#, "2.0 × 5.0 is not the total 5.0"),
            (#"{"items": [{"description": "Coffee", "quantity": 1, "unit_price": 3.5, "total": 3.5}]}"#, "the items add up to 3.5, the receipt's subtotal is 8.5"),
            ("Here are the items: Coffee 3.50 and two bagels.", "the answer is not JSON: Here are the items"),
          ])
    func fallback(_ answer: String, _ reason: String) async throws {
        let output = try await parser(ChatWire("openai-compatible", answers: [answer])).call(["ocr_text": .string(seedText)], context: context)
        let rules = try LineItemParser().run(["ocr_text": .string(seedText)])
        #expect(output.value["items"] == rules["items"])
        #expect(output.value["fallback"]?["reason"]?.stringValue?.contains(reason) == true, "\(output.value["fallback"] ?? .null)")
        #expect(output.metadata["method"] == "rules")
        #expect(output.modelCalls.count == 1)
    }

    @Test("a loopback Ollama server answering prose: the step still succeeds through the rules and says fallback")
    func ollamaProse() async throws {
        let server = try LoopbackHTTPServer { request in
            guard request.path == "/api/chat" else { return .text("not found", status: 404) }
            return .json(ChatWire("ollama", answers: []).body("I found a coffee and two bagels on this receipt.").serialized())
        }
        defer { server.stop() }
        let model = OllamaClient(model: "qwen2.5-coder:0.5b", baseURL: server.baseURL, transport: URLSessionTransport(),
                                 options: ClientOptions(retry: .none))
        let worker = ModelAssistedWorker(rules: ReceiptWorkerTools.lineItemParser(), model: MeteredModel(model),
                                         assignment: ReceiptModelAssignments.lineItems)
        let output = try await worker.call(["ocr_text": .string(seedText)], context: context)
        #expect(output.value["items"]?.arrayValue?.count == 2)
        #expect(output.value["fallback"]?["reason"]?.stringValue?.hasPrefix("the answer is not JSON: I found a coffee") == true)
        #expect(output.modelCalls.first?.provider == "ollama" && output.modelCalls.first?.inputTokens == 540)
        let sent = try JSONValue(parsing: try #require(server.received.first).body)
        #expect(sent["stream"] == false)
        #expect(sent["format"]?["required"] == ["items"])
    }

    @Test("categories come from the model when each item, named in order, has a known category, else from the keyword table")
    func categories() async throws {
        let items: JSONValue = ["items": [["description": "Coffee", "total": 3.5], ["description": "Bagel", "total": 5]]]
        let answer = #"{"items": [{"item": "COFFEE", "kind": "beverage"}, {"item": "Bagels", "kind": "food"}]}"#
        let accepted = try await categorizer(ChatWire("openai-compatible", answers: [answer])).call(items, context: context)
        #expect(accepted.value == ["categorized": [["description": "Coffee", "total": 3.5, "category": "beverage"],
                                                   ["description": "Bagel", "total": 5, "category": "food"]]])
        #expect(accepted.metadata["method"] == "model")
        let wire = ChatWire("openai-compatible", answers: [#"{"items": [{"item": "Coffee", "kind": "drinks"}, {"item": "Bagel", "kind": "food"}]}"#])
        let refused = try await categorizer(wire).call(items, context: context)
        #expect(refused.value["fallback"]?["reason"]?.stringValue?.hasPrefix("items[0]: 'drinks' is not a category") == true)
        #expect(refused.value["categorized"]?.arrayValue?.compactMap { $0["category"]?.stringValue } == ["beverage", "food"])
        #expect(wire.requests.first?["messages"]?.arrayValue?.last?["content"] == "1. Coffee\n2. Bagel")
        #expect(wire.requests.first?["response_format"]?["schema"]?["properties"]?["items"]?["minItems"] == 2)
        // Items answered out of order: refused, so a category never lands on the wrong item.
        let swapped = #"{"items": [{"item": "Bagel", "kind": "food"}, {"item": "Coffee", "kind": "beverage"}]}"#
        let reordered = try await categorizer(ChatWire("openai-compatible", answers: [swapped])).call(items, context: context)
        #expect(reordered.value["fallback"]?["reason"] == "items[0] 'Bagel' is not the receipt's item 'Coffee': the answer must keep the items' order")
    }

    @Test("a model slower than the step's timeout allows: fallback within the step's time, not a failed step")
    func slowModel() async throws {
        let output = try await parser(SilentTransport()).call(["ocr_text": .string(seedText)], context: StepContext(stepID: "parse", timeout: .milliseconds(300)))
        #expect(output.value["items"]?.arrayValue?.count == 2)
        #expect(output.value["fallback"]?["reason"]?.stringValue?.contains("gave no answer within") == true)
    }

    @Test("a model that fails (HTTP 500) leaves the rules' answer and the reason")
    func modelFailure() async throws {
        struct Failing: HTTPTransport {
            func send(_ request: HTTPRequest) async throws -> HTTPResponse {
                HTTPResponse(status: 500, body: Data(#"{"error": {"code": 500, "message": "model crashed", "type": "server_error"}}"#.utf8))
            }
        }
        let output = try await parser(Failing()).call(["ocr_text": .string(seedText)], context: context)
        #expect(output.value["fallback"]?["reason"]?.stringValue?.hasPrefix("the model failed:") == true)
        #expect(output.modelCalls.first?.inputTokens == nil)
    }
}
