import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
import Providers
import Synchronization
import Testing

/// Anthropic quirks beyond the shared checks: error events mid-stream, 529 overloaded,
/// RFC 3339 rate-limit resets, cumulative stream usage, structured output by a forced tool.
@Suite struct AnthropicClientTests {
    func client(_ server: LoopbackHTTPServer, retry: InstantRetry = InstantRetry()) -> AnthropicClient {
        AnthropicClient(apiKey: FakeKey.anthropic, model: "claude-haiku-4-5", baseURL: server.baseURL, transport: URLSessionTransport(),
                        options: ClientOptions(retry: retry.policy, clock: steppingClock))
    }

    @Test func anErrorEventMidStreamEndsTheAnswerWithItsClass() async throws {
        var events = Array(AnthropicWire.streamed.prefix(4))
        events.append(AnthropicWire.event(["type": "error", "error": ["type": "overloaded_error", "message": "Overloaded"]]))
        let server = try LoopbackHTTPServer { [events] _ in .stream(events) }
        defer { server.stop() }
        var deltas: [String] = []
        let error = await #expect(throws: ProviderError.self) {
            _ = try await client(server).stream(ChatRequest(messages: [.user("Hi")])).finalResponse { deltas.append($0) }
        }
        #expect(error?.code == .server)
        #expect(error?.status == 529)
        #expect(error?.message.contains("overloaded_error") == true)
        #expect(deltas == ["Hel"])
        #expect(server.requestCount == 1, "a stream that already delivered text is not retried")
    }

    @Test func overloaded529IsRetriedThenAnswered() async throws {
        let served = Mutex(0)
        let server = try LoopbackHTTPServer { _ in
            served.withLock { count in defer { count += 1 }; return count } == 0 ? AnthropicWire.error(529, "Overloaded") : AnthropicWire.plain
        }
        defer { server.stop() }
        let response = try await client(server).complete(ChatRequest(messages: [.user("Hi")]))
        #expect(response.text == "Hello!")
        #expect(server.requestCount == 2)
    }

    @Test func rateLimitResetsInRFC3339AreTheRetryHint() async throws {
        let reset = ISO8601DateFormatter().string(from: Date().addingTimeInterval(30))
        var limited = AnthropicWire.error(429, "Number of request tokens has exceeded your per-minute rate limit")
        limited.headers["anthropic-ratelimit-tokens-remaining"] = "0"
        limited.headers["anthropic-ratelimit-tokens-reset"] = reset
        limited.headers["anthropic-ratelimit-requests-remaining"] = "999"
        limited.headers["anthropic-ratelimit-requests-reset"] = ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))
        let server = try LoopbackHTTPServer { [limited] _ in limited }
        defer { server.stop() }
        let retry = InstantRetry()
        let error = await #expect(throws: ProviderError.self) { try await client(server, retry: retry).complete(ChatRequest(messages: [.user("Hi")])) }
        #expect(error?.code == .rateLimited)
        let wait = try #require(error?.retryAfter).inMilliseconds
        #expect((25_000...30_000).contains(wait), "the exhausted token window resets in about 30 s, not the request window's 2 s")
        #expect(retry.waits.count == 3, "3 retries after the first attempt")
    }

    @Test func retryAfterWinsOverTheResetHeaders() async throws {
        var limited = AnthropicWire.error(429, "slow down")
        limited.headers["retry-after"] = "7"
        limited.headers["anthropic-ratelimit-tokens-remaining"] = "0"
        limited.headers["anthropic-ratelimit-tokens-reset"] = ISO8601DateFormatter().string(from: Date().addingTimeInterval(40))
        let server = try LoopbackHTTPServer { [limited] _ in limited }
        defer { server.stop() }
        let retry = InstantRetry()
        _ = await #expect(throws: ProviderError.self) { try await client(server, retry: retry).complete(ChatRequest(messages: [.user("Hi")])) }
        #expect(retry.waits == [.seconds(7), .seconds(7), .seconds(7)])
    }

    @Test func streamedUsageIsTheLastCumulativeCountAndCacheReadsAreCachedInput() async throws {
        var events = AnthropicWire.streamed
        let start = AnthropicWire.event(["type": "message_start", "message": [
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5-20251001", "content": [],
            "stop_reason": nil, "stop_sequence": nil,
            "usage": ["input_tokens": 5, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 20, "output_tokens": 1]]])
        events[0] = start
        // Two message_delta events: the second's count is the total, not an increment.
        let index = try #require(events.firstIndex { $0.contains("message_delta") })
        events.insert(AnthropicWire.event(["type": "message_delta", "delta": ["stop_reason": nil], "usage": ["output_tokens": 2]]), at: index)
        let server = try LoopbackHTTPServer { [events] _ in .stream(events) }
        defer { server.stop() }
        let response = try await client(server).stream(ChatRequest(messages: [.user("Hi")])).finalResponse()
        // The final message_delta repeats input_tokens 12 (AnthropicWire): the latest count wins.
        #expect(response.usage == TokenUsage(inputTokens: 12 + 100 + 20, outputTokens: 3, cachedInputTokens: 100))
        #expect(response.model == "claude-haiku-4-5-20251001")
    }

    @Test func aStreamedStructuredAnswerArrivesAsText() async throws {
        let events = AnthropicWire.stream(blocks: [
            (["type": "tool_use", "id": "toolu_1", "name": "person", "input": [:]],
             [["type": "input_json_delta", "partial_json": #"{"name": "Ada", "#], ["type": "input_json_delta", "partial_json": #""age": 36}"#]]),
        ], stop: "tool_use")
        let server = try LoopbackHTTPServer { [events] _ in .stream(events) }
        defer { server.stop() }
        var deltas: [String] = []
        let request = ChatRequest(messages: [.user("Who?")], responseFormat: ResponseFormat(name: "person", schema: ConformanceRequests.personSchema))
        let response = try await client(server).stream(request).finalResponse { deltas.append($0) }
        #expect(response.json == ["name": "Ada", "age": 36])
        #expect(response.toolCalls.isEmpty)
        #expect(response.finishReason == .stop)
        #expect(deltas.joined() == #"{"name": "Ada", "age": 36}"#)
    }

    @Test func aRefusalIsAContentFilterFinish() async throws {
        let server = try LoopbackHTTPServer { _ in AnthropicWire.message([], stop: "refusal") }
        defer { server.stop() }
        let response = try await client(server).complete(ChatRequest(messages: [.user("Hi")]))
        #expect(response.finishReason == .contentFilter)
    }
}
