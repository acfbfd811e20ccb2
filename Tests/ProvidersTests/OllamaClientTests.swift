import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
import Providers
import Testing

/// Ollama quirks beyond the shared checks: nanosecond durations, an error line mid-stream,
/// tool choice without `tool_choice`, and omitted metrics.
@Suite struct OllamaClientTests {
    func client(_ server: LoopbackHTTPServer) -> OllamaClient {
        OllamaClient(model: "qwen2.5-coder:0.5b", baseURL: server.baseURL, transport: URLSessionTransport(),
                     options: ClientOptions(retry: InstantRetry().policy, clock: steppingClock))
    }

    @Test func latencyIsTheServersNanosecondDurationsInMilliseconds() async throws {
        let server = try LoopbackHTTPServer { request in
            request.text.contains(#""stream":true"#) ? .stream(OllamaWire.streamed, contentType: "application/x-ndjson") : OllamaWire.plain
        }
        defer { server.stop() }
        let whole = try await client(server).complete(ChatRequest(messages: [.user("Hi")]))
        let streamed = try await client(server).stream(ChatRequest(messages: [.user("Hi")])).finalResponse()
        // total_duration 5191566416 ns; load 2154458 + prompt eval 383809000 ns to the first token.
        #expect(whole.latency == Latency(firstByteMilliseconds: nil, totalMilliseconds: 5191.566416))
        #expect(streamed.latency == Latency(firstByteMilliseconds: 385.963458, totalMilliseconds: 5191.566416))
    }

    @Test func anErrorLineMidStreamIsAnError() async throws {
        let events = [OllamaWire.partial(["role": "assistant", "content": "Hel"]), #"{"error":"an error was encountered while running the model"}"# + "\n"]
        let server = try LoopbackHTTPServer { _ in .stream(events, contentType: "application/x-ndjson") }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await client(server).stream(ChatRequest(messages: [.user("Hi")])).finalResponse()
        }
        #expect(error?.code == .server)
        #expect(error?.message.contains("while running the model") == true)
    }

    @Test func anUnknownModelIsNotFoundNamingIt() async throws {
        let server = try LoopbackHTTPServer { _ in OllamaWire.error(404, "model 'qwen2.5-coder:0.5b' not found") }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server).complete(ChatRequest(messages: [.user("Hi")])) }
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("ollama pull") == true)
    }

    @Test func toolChoiceNoneSendsNoTools() async throws {
        let server = try LoopbackHTTPServer { _ in OllamaWire.plain }
        defer { server.stop() }
        _ = try await client(server).complete(ChatRequest(messages: [.user("Hi")], tools: [ConformanceRequests.weatherTool], toolChoice: .none))
        let sent = try JSONValue(parsing: try #require(server.received.first).body)
        #expect(sent["tools"] == nil)
    }

    @Test func aCachedPromptWithoutCountsHasUnknownUsage() async throws {
        let body: JSONValue = ["model": "m", "created_at": "2023-12-12T14:13:43Z", "message": ["role": "assistant", "content": "Hi"],
                               "done": true, "done_reason": "stop", "eval_count": 2]
        let server = try LoopbackHTTPServer { _ in .json(body.serialized()) }
        defer { server.stop() }
        let response = try await client(server).complete(ChatRequest(messages: [.user("Hi")]))
        #expect(response.usage == nil)
        #expect(response.latency.totalMilliseconds >= 0)
    }
}
