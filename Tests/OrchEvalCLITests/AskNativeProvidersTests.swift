import CassetteTesting
import Foundation
import OrchJSON
import Providers
import Synchronization
import Testing
@testable import OrchEvalCLI

/// `orch-eval ask` against loopback servers speaking Anthropic's, Gemini's and Ollama's
/// documented wire formats (../shared/reference/wire-formats.md §3, §4, §5), priced from the
/// committed Fixtures/pricing.json.
@Suite struct AskNativeProvidersTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Provider: Sendable, CustomTestStringConvertible {
        var name: String
        var model: String
        /// Variables pointing the client at `{server}`.
        var environment: [String: String]
        var answer: String
        var stream: [String]
        var streamType = "text/event-stream"
        var serverError: String
        /// Expected cost of 12 input and 3 output tokens at the committed list price (nil: unknown).
        var cost: Double?
        var testDescription: String { name }
    }

    static let anthropic = Provider(
        name: "anthropic", model: "claude-haiku-4-5",
        environment: ["ANTHROPIC_API_KEY": "sk-" + "ant-" + String(repeating: "x7", count: 20), "ANTHROPIC_BASE_URL": "{server}"],
        answer: #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3}}"#,
        stream: [
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5-20251001\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            "event: ping\ndata: {\"type\": \"ping\"}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"lo!\"}}\n\n",
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
        ],
        serverError: #"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#,
        cost: (12 * 1.0 + 3 * 5.0) / 1_000_000)

    static let gemini = Provider(
        name: "gemini", model: "gemini-2.5-flash",
        environment: ["GOOGLE_API_KEY": "AI" + "za" + String(repeating: "Q1", count: 17), "GEMINI_BASE_URL": "{server}"],
        answer: #"{"candidates":[{"content":{"parts":[{"text":"Hello!"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":3,"totalTokenCount":15},"modelVersion":"gemini-2.5-flash","responseId":"r1"}"#,
        stream: [
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":1,\"totalTokenCount\":13},\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n",
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo!\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":3,\"totalTokenCount\":15},\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n",
        ],
        serverError: #"{"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}"#,
        cost: (12 * 0.3 + 3 * 2.5) / 1_000_000)

    static let ollama = Provider(
        name: "ollama", model: "qwen2.5-coder:0.5b", environment: ["OLLAMA_API_URL": "{server}"],
        answer: #"{"model":"qwen2.5-coder:0.5b","created_at":"2026-12-02T11:00:00.385406455+01:00","message":{"role":"assistant","content":"Hello!"},"done":true,"done_reason":"stop","total_duration":400000000,"load_duration":1334875,"prompt_eval_count":12,"prompt_eval_duration":298665125,"eval_count":3,"eval_duration":100000000}"#,
        stream: [
            #"{"model":"qwen2.5-coder:0.5b","created_at":"2026-12-02T11:00:00Z","message":{"role":"assistant","content":"Hel"},"done":false}"# + "\n",
            #"{"model":"qwen2.5-coder:0.5b","created_at":"2026-12-02T11:00:00Z","message":{"role":"assistant","content":"lo!"},"done":false}"# + "\n",
            #"{"model":"qwen2.5-coder:0.5b","created_at":"2026-12-02T11:00:00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":400000000,"load_duration":1334875,"prompt_eval_count":12,"prompt_eval_duration":298665125,"eval_count":3,"eval_duration":100000000}"# + "\n",
        ],
        streamType: "application/x-ndjson",
        serverError: #"{"error":"an error was encountered while running the model"}"#,
        cost: 0)

    static let all = [anthropic, gemini, ollama]

    func ask(_ provider: Provider, server: LoopbackHTTPServer, _ extra: [String]) async -> (Int32, String, String) {
        let captured = CapturedIO()
        let environment = provider.environment.mapValues { $0.replacingOccurrences(of: "{server}", with: server.baseURL.absoluteString) }
        let context = AskCommand.Context(clientOptions: ClientOptions(retry: RetryPolicy(sleep: { _ in }, random: { 0 })),
                                         directory: Self.packageRoot)
        let status = await AskCommand.run(["hello", "--provider", provider.name, "--model", provider.model, "--json"] + extra,
                                          io: captured.io(environment: environment), context: context)
        return (status, captured.out, captured.err)
    }

    @Test(arguments: all) func answersWithJSONAndACostFromTheCommittedPrices(provider: Provider) async throws {
        let server = try LoopbackHTTPServer { _ in .json(provider.answer) }
        defer { server.stop() }
        let (status, out, err) = await ask(provider, server: server, [])
        #expect(status == 0, "\(err)")
        let json = try JSONValue(parsing: out)
        #expect(json["text"] == "Hello!")
        #expect(json["usage"] == ["input_tokens": 12, "output_tokens": 3])
        #expect(json["finish_reason"] == "stop")
        let cost = try #require(json["cost_usd"]?.doubleValue)
        #expect(abs(cost - (provider.cost ?? -1)) < 1e-12)
    }

    @Test(arguments: all) func streamsTheAnswer(provider: Provider) async throws {
        let server = try LoopbackHTTPServer { _ in .stream(provider.stream, contentType: provider.streamType) }
        defer { server.stop() }
        let (status, out, err) = await ask(provider, server: server, ["--stream"])
        #expect(status == 0, "\(err)")
        let json = try JSONValue(parsing: out)
        #expect(json["text"] == "Hello!")
        #expect(json["usage"] == ["input_tokens": 12, "output_tokens": 3])
        #expect(json["latency_ms"]?["first_byte"]?.doubleValue != nil)
    }

    @Test(arguments: all) func a429AndTwo500sAreRetriedToAnAnswer(provider: Provider) async throws {
        let answers: [LoopbackHTTPServer.Response] = [
            .json(provider.serverError, status: 429, headers: ["retry-after": "1"]), .json(provider.serverError, status: 500),
            .json(provider.serverError, status: 500), .json(provider.answer),
        ]
        let served = Mutex(0)
        let server = try LoopbackHTTPServer { _ in answers[min(served.withLock { n in defer { n += 1 }; return n }, answers.count - 1)] }
        defer { server.stop() }
        let (status, out, err) = await ask(provider, server: server, [])
        #expect(status == 0, "\(err)")
        #expect(try JSONValue(parsing: out)["text"] == "Hello!")
        #expect(server.requestCount == 4)
    }
}
