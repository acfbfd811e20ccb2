import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
import Providers
import Testing

/// What the OpenAI family does beyond the shared conformance checks.
@Suite struct OpenAIClientTests {
    private func client(_ server: LoopbackHTTPServer, provider: String = "openai", environment: [String: String] = [:],
                        retry: InstantRetry = InstantRetry()) throws -> any ChatModel {
        var variables = ["OPENAI_API_KEY": FakeKey.openAI, "OPENAI_BASE_URL": server.baseURL.absoluteString + "/v1",
                         "AZURE_OPENAI_ENDPOINT": server.baseURL.absoluteString, "AZURE_OPENAI_API_KEY": FakeKey.azure,
                         "LOCAL_MODEL_URL": server.baseURL.absoluteString + "/v1"]
        variables.merge(environment) { _, new in new }
        return try makeChatModel(provider: provider, model: "gpt-4o", environment: ProviderEnvironment(variables),
                                 transport: URLSessionTransport(), options: ClientOptions(retry: retry.policy, clock: steppingClock))
    }

    private let hello = ChatRequest(messages: [.user("Hello")])

    @Test func aStreamThatEndsWithoutDoneIsBroken() async throws {
        let events = OpenAIWire().streamed.dropLast()  // every chunk but `data: [DONE]`, then a clean end
        let server = try LoopbackHTTPServer { _ in .stream(Array(events)) }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server).stream(hello).finalResponse() }
        #expect(error?.code == .streamBroken)
        #expect(error?.message.contains("[DONE]") == true)
    }

    @Test func anErrorInsideTheStreamIsAnError() async throws {
        let server = try LoopbackHTTPServer { _ in
            .stream([OpenAIWire().streamed[0], #"data: {"error":{"message":"The server had an error","type":"server_error"}}"# + "\n\n"])
        }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server).stream(hello).finalResponse() }
        #expect(error?.message.contains("The server had an error") == true)
    }

    @Test func cachedTokensAreCounted() async throws {
        let body = #"{"id":"c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,"prompt_tokens_details":{"cached_tokens":1920}}}"#
        let server = try LoopbackHTTPServer { _ in .json(body) }
        defer { server.stop() }
        let response = try await client(server).complete(hello)
        #expect(response.usage == TokenUsage(inputTokens: 2006, outputTokens: 300, cachedInputTokens: 1920))
    }

    @Test func llamaCppTimingsStandInForMissingUsage() async throws {
        let body = #"{"choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"model":"qwen","timings":{"cache_n":236,"prompt_n":1,"prompt_ms":30.9,"predicted_n":35,"predicted_ms":661.0}}"#
        let server = try LoopbackHTTPServer { _ in .json(body) }
        defer { server.stop() }
        let response = try await client(server, provider: "openai-compatible").complete(hello)
        #expect(response.usage == TokenUsage(inputTokens: 237, outputTokens: 35, cachedInputTokens: 236))
    }

    @Test func azureContentFilterOnTheAnswerIsARefusal() async throws {
        let wire = OpenAIWire(azure: true)
        let body = try JSONValue(parsing: wire.plain.body)
        var choice = body["choices"]!.arrayValue![0].objectValue!
        choice["finish_reason"] = "content_filter"
        choice["content_filter_results"] = ["hate": ["filtered": false, "severity": "safe"], "violence": ["filtered": true, "severity": "high"]]
        var filtered = body.objectValue!
        filtered["choices"] = [.object(choice)]
        let text = JSONValue.object(filtered).serialized()
        let server = try LoopbackHTTPServer { _ in .json(text) }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server, provider: "azure-openai").complete(hello) }
        #expect(error?.code == .contentFiltered)
        #expect(error?.message.contains("violence (high)") == true)
    }

    @Test func azureContentFilterOnThePromptIsARefusalNotRetried() async throws {
        let body = #"{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":false,"severity":"safe"},"sexual":{"filtered":true,"severity":"high"}}}}}"#
        let server = try LoopbackHTTPServer { _ in .json(body, status: 400) }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server, provider: "azure-openai").complete(hello) }
        #expect(error?.code == .contentFiltered)
        #expect(error?.message.contains("sexual (high)") == true)
        #expect(server.requestCount == 1)
    }

    @Test func aRefusalIsARefusal() async throws {
        let body = #"{"id":"c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I'm sorry, I cannot help with that."},"finish_reason":"stop"}]}"#
        let server = try LoopbackHTTPServer { _ in .json(body) }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server).complete(hello) }
        #expect(error?.code == .contentFiltered)
        #expect(error?.message.contains("cannot help") == true)
    }

    @Test func noCreditIsNotRetried() async throws {
        let body = #"{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#
        let server = try LoopbackHTTPServer { _ in .json(body, status: 429) }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server).complete(hello) }
        #expect(error?.code == .rateLimited)
        #expect(server.requestCount == 1)
    }

    @Test func theRateLimitResetHeaderSetsTheWait() async throws {
        let retry = InstantRetry()
        var limited = OpenAIWire().error(429, "Rate limit reached")
        limited.headers = ["Content-Type": "application/json", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1.5s",
                           "x-ratelimit-remaining-tokens": "100", "x-ratelimit-reset-tokens": "6m0s"]
        let answer = limited
        let server = try LoopbackHTTPServer { _ in answer }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server, retry: retry).complete(hello) }
        #expect(error?.retryAfter == .milliseconds(1500))
        #expect(retry.waits == [.milliseconds(1500), .milliseconds(1500), .milliseconds(1500)])
        #expect(server.requestCount == 4)
    }

    @Test func strictModeOnlyForStrictSchemas() async throws {
        let server = try LoopbackHTTPServer { _ in OpenAIWire().structured }
        defer { server.stop() }
        let schema: JSONValue = ["type": "object", "properties": ["name": ["type": "string"]], "required": ["name"], "additionalProperties": false]
        _ = try await client(server).complete(ChatRequest(messages: [.user("x")], responseFormat: ResponseFormat(name: "p", schema: schema)))
        let sent = try JSONValue(parsing: try #require(server.received.first).body)
        #expect(sent["response_format"]?["json_schema"]?["strict"] == true)
    }

    @Test func localServersCanBeToldToUseTheOpenAISchemaForm() async throws {
        let server = try LoopbackHTTPServer { _ in OpenAIWire().structured }
        defer { server.stop() }
        let model = try client(server, provider: "transformers", environment: ["LOCAL_MODEL_SCHEMA_MODE": "json_schema"])
        #expect(model.provider == "openai-compatible")
        _ = try await model.complete(ConformanceRequests.structured)
        let sent = try JSONValue(parsing: try #require(server.received.first).body)
        #expect(sent["response_format"]?["type"] == "json_schema")
        #expect(sent["response_format"]?["json_schema"]?["name"] == "person")
    }

    @Test func missingVariablesAreNamed() {
        let environment = ProviderEnvironment(["AZURE_OPENAI_ENDPOINT": "https://x.openai.azure.com"])
        func message(_ provider: String, _ model: String?, _ environment: ProviderEnvironment) -> String? {
            do {
                _ = try makeChatModel(provider: provider, model: model, environment: environment, transport: NoNetwork())
                return nil
            } catch { return error.message }
        }
        #expect(message("openai", nil, ProviderEnvironment([:]))?.contains("OPENAI_API_KEY") == true)
        #expect(message("azure-openai", nil, environment)?.contains("AZURE_OPENAI_DEPLOYMENT") == true)
        #expect(message("azure-openai", "gpt4o", environment)?.contains("AZURE_OPENAI_API_KEY") == true)
        #expect(message("azure", nil, ProviderEnvironment([:]))?.contains("AZURE_SMALL_MODEL_ENDPOINT") == true)
        #expect(message("openai", nil, ProviderEnvironment(["OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "api.openai.com"]))?.contains("OPENAI_BASE_URL") == true)
    }
}

@Suite struct ProviderTimeoutTests {
    @Test func aSilentServerIsATimeoutAndNotRetried() async throws {
        var slow = OpenAIWire().plain
        slow.pause = .seconds(2)
        let answer = slow
        let server = try LoopbackHTTPServer { _ in answer }
        defer { server.stop() }
        let environment = ProviderEnvironment(["OPENAI_API_KEY": FakeKey.openAI, "OPENAI_BASE_URL": server.baseURL.absoluteString])
        let client = try makeChatModel(provider: "openai", model: nil, environment: environment, transport: URLSessionTransport(),
                                       options: ClientOptions(retry: InstantRetry().policy, timeout: 0.1))
        let error = await #expect(throws: ProviderError.self) { try await client.complete(ChatRequest(messages: [.user("x")])) }
        #expect(error?.code == .timeout)
        #expect(server.requestCount == 1)
    }
}
