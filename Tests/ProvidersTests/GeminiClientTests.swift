import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
import Providers
import Testing

/// Gemini quirks beyond the shared checks: RetryInfo waits, daily quotas, safety blocks,
/// thinking tokens, function-call ids, the schema dialect, and a stream with no sentinel.
@Suite struct GeminiClientTests {
    func client(_ server: LoopbackHTTPServer, retry: InstantRetry = InstantRetry()) -> GeminiClient {
        GeminiClient(apiKey: FakeKey.google, model: "gemini-2.5-flash", baseURL: server.baseURL, transport: URLSessionTransport(),
                     options: ClientOptions(retry: retry.policy, clock: steppingClock))
    }

    @Test func retryInfoRetryDelayIsTheWait() async throws {
        let server = try LoopbackHTTPServer { _ in GeminiWire.error(429, "You exceeded your current quota. Please retry in 37.2s.") }
        defer { server.stop() }
        let retry = InstantRetry()
        let error = await #expect(throws: ProviderError.self) { try await client(server, retry: retry).complete(ChatRequest(messages: [.user("Hi")])) }
        #expect(error?.code == .rateLimited)
        #expect(error?.retryAfter == .seconds(37))
        #expect(retry.waits == [.seconds(37), .seconds(37), .seconds(37)])
    }

    @Test func anExhaustedDailyQuotaIsNotRetried() async throws {
        let body: JSONValue = ["error": ["code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Quota exceeded", "details": [
            ["@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [["quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier"]]],
            ["@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.5s"],
        ]]]
        let server = try LoopbackHTTPServer { _ in .json(body.serialized(), status: 429) }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server).complete(ChatRequest(messages: [.user("Hi")])) }
        #expect(error?.code == .rateLimited)
        #expect(error?.retryAfter == .milliseconds(1500))
        #expect(server.requestCount == 1)
    }

    @Test func anErrorWrappedInAnArrayIsRead() async throws {
        let body = #"[{"error": {"code": 404, "message": "models/gemini-9 is not found for API version v1beta", "status": "NOT_FOUND"}}]"#
        let server = try LoopbackHTTPServer { _ in .json(body, status: 404) }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await client(server).stream(ChatRequest(messages: [.user("Hi")])).finalResponse()
        }
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("NOT_FOUND: models/gemini-9 is not found") == true)
    }

    @Test func aBlockedPromptIsContentFiltered() async throws {
        let body: JSONValue = ["promptFeedback": ["blockReason": "SAFETY", "safetyRatings": []],
                               "usageMetadata": ["promptTokenCount": 8, "totalTokenCount": 8], "modelVersion": "gemini-2.5-flash"]
        let server = try LoopbackHTTPServer { _ in .json(body.serialized()) }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server).complete(ChatRequest(messages: [.user("Hi")])) }
        #expect(error?.code == .contentFiltered)
        #expect(error?.message.contains("SAFETY") == true)
    }

    @Test func anAnswerStoppedBySafetyBeforeAnyTextIsContentFiltered() async throws {
        let server = try LoopbackHTTPServer { _ in .json(GeminiWire.response([], finish: "SAFETY").serialized()) }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server).complete(ChatRequest(messages: [.user("Hi")])) }
        #expect(error?.code == .contentFiltered)
    }

    @Test func thinkingTokensAreOutputAndFunctionCallsGetIds() async throws {
        let usage: JSONValue = ["promptTokenCount": 451, "candidatesTokenCount": 10, "thoughtsTokenCount": 53,
                                "cachedContentTokenCount": 400, "totalTokenCount": 514]
        let parts: JSONValue = [GeminiWire.call, ["functionCall": ["name": "get_time", "args": [:]]]]
        let server = try LoopbackHTTPServer { _ in .json(GeminiWire.response(parts, usage: usage).serialized()) }
        defer { server.stop() }
        let response = try await client(server).complete(ChatRequest(messages: [.user("Hi")]))
        #expect(response.usage == TokenUsage(inputTokens: 451, outputTokens: 63, cachedInputTokens: 400))
        #expect(response.toolCalls.map(\.id) == ["call_0", "call_1"])
        #expect(response.finishReason == .toolCalls, "Gemini says STOP for function calls")
    }

    @Test func aStreamThatEndsWithoutAFinishReasonIsBroken() async throws {
        let server = try LoopbackHTTPServer { _ in .stream(Array(GeminiWire.streamed.prefix(2))) }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await client(server).stream(ChatRequest(messages: [.user("Hi")])).finalResponse()
        }
        #expect(error?.code == .streamBroken)
    }

    @Test func usageOnlyChunksAndLFTerminatorsAreFine() async throws {
        let usageOnly: JSONValue = ["usageMetadata": GeminiWire.usage(candidates: 0), "modelVersion": "gemini-2.5-flash"]
        let events = ["data: \(usageOnly.serialized())\n\n"] + GeminiWire.streamed.map { $0.replacingOccurrences(of: "\r\n", with: "\n") }
        let server = try LoopbackHTTPServer { [events] _ in .stream(events) }
        defer { server.stop() }
        let response = try await client(server).stream(ChatRequest(messages: [.user("Hi")])).finalResponse()
        #expect(response.text == "Hello!")
        #expect(response.usage == TokenUsage(inputTokens: 12, outputTokens: 3))
    }

    @Test func schemasAreConvertedToGeminisDialect() async throws {
        let schema: JSONValue = [
            "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "additionalProperties": false,
            "properties": [
                "kind": ["const": "receipt"],
                "note": ["type": ["string", "null"], "description": "free text"],
                "items": ["type": "array", "items": ["$ref": "#/$defs/item"]],
                "total": ["oneOf": [["type": "number"], ["type": "string", "pattern": "^[0-9.]+$"]]],
            ],
            "required": ["items"],
            "$defs": ["item": ["type": "object", "properties": ["price": ["type": "number", "minimum": 0]], "patternProperties": ["^x-": [:]]]],
        ]
        let request = ChatRequest(messages: [.user("Hi")], responseFormat: ResponseFormat(name: "receipt", schema: schema))
        let server = try LoopbackHTTPServer { _ in GeminiWire.structured }
        defer { server.stop() }
        _ = try await client(server).complete(request)
        let sent = try JSONValue(parsing: try #require(server.received.first).body)
        #expect(sent["generationConfig"]?["responseSchema"] == [
            "type": "OBJECT", "required": ["items"],
            "properties": [
                "kind": ["enum": ["receipt"], "type": "STRING"],
                "note": ["type": "STRING", "nullable": true, "description": "free text"],
                "items": ["type": "ARRAY", "items": ["type": "OBJECT", "properties": ["price": ["type": "NUMBER", "minimum": 0]]]],
                "total": ["anyOf": [["type": "NUMBER"], ["type": "STRING", "pattern": "^[0-9.]+$"]]],
            ],
        ])
    }
}
