import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
import Providers
import Testing

/// The local llama-cpp-python servers of `scripts/models.sh` (docs/local-models.md), asked live
/// when they are up. Skipped otherwise: start them with `scripts/models.sh start qwen-0.5b`.
@Suite struct LiveLocalModelTests {
    static let qwen05 = URL(string: "http://127.0.0.1:8082/v1")!

    /// Whether a server answers `GET /models` at `base` within two seconds.
    static func isUp(_ base: URL) async -> Bool {
        let request = HTTPRequest(method: "GET", url: base.appendingPathComponent("models"), timeout: 2)
        return (try? await URLSessionTransport().send(request).status) == 200
    }

    private func client() throws -> any ChatModel {
        try makeChatModel(provider: "openai-compatible", model: "qwen2.5-coder-0.5b-instruct",
                          environment: ProviderEnvironment(["LOCAL_MODEL_URL": Self.qwen05.absoluteString]), transport: URLSessionTransport())
    }

    @Test(.enabled("the qwen-0.5b server is down; start it with `scripts/models.sh start qwen-0.5b`") { await isUp(qwen05) })
    func aLiveAnswerStreamedAndNot() async throws {
        let request = ChatRequest(system: "Answer with one word.", messages: [.user("What colour is the sky on a clear day?")],
                                  temperature: 0, maxOutputTokens: 16)
        let whole = try await client().complete(request)
        #expect(!whole.text.isEmpty)
        #expect(whole.usage.map { $0.inputTokens > 0 && $0.outputTokens > 0 } == true, "llama-cpp-python reports usage when not streaming")
        var deltas: [String] = []
        let streamed = try await client().stream(request).finalResponse { deltas.append($0) }
        #expect(deltas.joined() == streamed.text)
        #expect(streamed.latency.firstByteMilliseconds != nil)
        // At temperature 0 the same model gives the same answer, streamed or not.
        #expect(streamed.text == whole.text)
    }

    @Test(.enabled("the qwen-0.5b server is down; start it with `scripts/models.sh start qwen-0.5b`") { await isUp(qwen05) })
    func aLiveStructuredAnswerFollowsTheSchema() async throws {
        let request = ChatRequest(messages: [.user("Ada Lovelace was 36. Give her name and age as JSON.")],
                                  responseFormat: ResponseFormat(name: "person", schema: ConformanceRequests.personSchema),
                                  temperature: 0, maxOutputTokens: 64)
        let answer = try await client().complete(request)
        let json = try #require(answer.json, "not JSON: \(answer.text)")
        #expect(json["name"]?.stringValue != nil)
        #expect(json["age"]?.intValue != nil)
    }
}

/// The live recordings from the local qwen-0.5b server (`origin: live`) replay offline through
/// the real client: `Cassettes/providers/live-*.json`, recorded with `orch-eval ask … --record all`.
@Suite struct LiveCassetteReplayTests {
    private func replaying(_ name: String) throws -> (CassetteTransport, any ChatModel) {
        let root = try #require(CassetteLocation.packageRoot(containing: URL(fileURLWithPath: #filePath)))
        let file = root.appendingPathComponent("Cassettes/providers/\(name).json")
        let transport = try CassetteTransport(file: file, mode: .never, environment: [:])
        let model = try makeChatModel(provider: "openai-compatible", model: "qwen2.5-coder-0.5b-instruct",
                                      environment: ProviderEnvironment(["LOCAL_MODEL_URL": "http://127.0.0.1:8082/v1"]),
                                      transport: transport)
        return (transport, model)
    }

    @Test func aStreamedLiveAnswerReplays() async throws {
        let (transport, model) = try replaying("live-qwen-0.5b-hello-stream")
        #expect(transport.metadata.origin == .live)
        var deltas: [String] = []
        let response = try await model.stream(ChatRequest(system: "You are terse.", messages: [.user("Say hello in five words.")]))
            .finalResponse { deltas.append($0) }
        #expect(response.text == "Hello, how are you today?")
        #expect(deltas.count > 3, "llama-cpp-python streams about one token per chunk")
        #expect(response.usage == nil, "llama-cpp-python sends no usage in streams")
        #expect(response.finishReason == .stop)
        #expect(response.model == "qwen2.5-coder-0.5b-instruct")
    }

    @Test func aStructuredLiveAnswerReplays() async throws {
        let (transport, model) = try replaying("live-qwen-0.5b-person")
        #expect(transport.metadata.origin == .live)
        let schema: JSONValue = ["type": "object", "properties": ["name": ["type": "string"], "age": ["type": "integer"]], "required": ["name", "age"]]
        let response = try await model.complete(ChatRequest(messages: [.user("Ada Lovelace was 36. Give her name and age.")],
                                                            responseFormat: ResponseFormat(name: "person", schema: schema)))
        #expect(response.json == ["name": "Ada Lovelace", "age": 36])
        #expect(response.usage == TokenUsage(inputTokens: 44, outputTokens: 18))
    }
}
