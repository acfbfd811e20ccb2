import Cassettes
import Foundation
import OrchJSON
import Providers
import Testing

/// Every OpenAI-shaped client passes the shared conformance checks against a loopback server
/// speaking its documented wire format; each client is built by `makeChatModel` from the
/// variables a user would set.
@Suite struct OpenAIFamilyConformanceTests {
    @Test(arguments: ConformanceCheck.allCases) func openAI(_ check: ConformanceCheck) async throws {
        try await ChatModelConformance(OpenAIFamilyFixtures.openAI).run(check)
    }

    @Test(arguments: ConformanceCheck.allCases) func azureOpenAIWithKey(_ check: ConformanceCheck) async throws {
        try await ChatModelConformance(OpenAIFamilyFixtures.azureOpenAI(entra: false)).run(check)
    }

    @Test(arguments: ConformanceCheck.allCases) func azureOpenAIWithEntraToken(_ check: ConformanceCheck) async throws {
        try await ChatModelConformance(OpenAIFamilyFixtures.azureOpenAI(entra: true)).run(check)
    }

    @Test(arguments: ConformanceCheck.allCases) func azureModelInference(_ check: ConformanceCheck) async throws {
        try await ChatModelConformance(OpenAIFamilyFixtures.azureInference).run(check)
    }

    @Test(arguments: ConformanceCheck.allCases) func openAICompatible(_ check: ConformanceCheck) async throws {
        try await ChatModelConformance(OpenAIFamilyFixtures.openAICompatible).run(check)
    }
}

enum OpenAIFamilyFixtures {
    typealias Encoding = ConformanceFixture.Encoding

    static let messages: JSONValue = [["role": "system", "content": "Be terse."], ["role": "user", "content": "Hello"]]
    static let weatherTool: JSONValue = ["type": "function", "function": [
        "name": "get_weather", "description": "Current weather", "parameters": ConformanceRequests.weatherTool.inputSchema,
    ]]
    static let toolConversation: JSONValue = [
        ["role": "user", "content": "Weather in Paris?"],
        ["role": "assistant", "content": nil, "tool_calls": [[
            "id": "call_1", "type": "function", "function": ["name": "get_weather", "arguments": #"{"city":"Paris"}"#],
        ]]],
        ["role": "tool", "tool_call_id": "call_1", "content": #"{"temp_c":21}"#],
    ]

    /// The four requests every OpenAI-shaped server receives, with the per-server differences
    /// (`model` in the body, the token-limit field, the structured-output form, stream usage).
    static func encodings(path: String, query: [String: String] = [:], headers: [String: String], model: String?,
                          maxTokens: String, responseFormat: JSONValue, streamUsage: Bool) -> [Encoding] {
        func body(_ members: [String: JSONValue]) -> JSONValue {
            var members = members
            if let model { members["model"] = .string(model) }
            return .object(members)
        }
        let plain: [String: JSONValue] = ["messages": messages, "temperature": 0.2, maxTokens: 200, "seed": 7]
        var streamed = plain
        streamed["stream"] = true
        if streamUsage { streamed["stream_options"] = ["include_usage": true] }
        var streamHeaders = headers
        streamHeaders["accept"] = "text/event-stream"
        return [
            Encoding(request: ConformanceRequests.plain, path: path, query: query, headers: headers, body: body(plain)),
            Encoding(request: ConformanceRequests.plain, streamed: true, path: path, query: query, headers: streamHeaders, body: body(streamed)),
            Encoding(request: ConformanceRequests.tools, path: path, query: query, headers: headers, body: body([
                "messages": [["role": "user", "content": "Weather in Paris?"]], "tools": [weatherTool],
                "tool_choice": ["type": "function", "function": ["name": "get_weather"]],
            ])),
            Encoding(request: ConformanceRequests.structured, path: path, query: query, headers: headers, body: body([
                "messages": [["role": "user", "content": "Who wrote the first program?"]], "response_format": responseFormat,
            ])),
            Encoding(request: ConformanceRequests.toolResult, path: path, query: query, headers: headers, body: body([
                "messages": toolConversation, "tools": [weatherTool], "tool_choice": "auto",
            ])),
        ]
    }

    static let jsonSchemaFormat: JSONValue = ["type": "json_schema", "json_schema": [
        "name": "person", "schema": ConformanceRequests.personSchema, "strict": false,
    ]]

    static func client(_ provider: String, _ environment: [String: String], model: String? = "test-model")
        -> @Sendable (URL, ClientOptions) throws -> any ChatModel {
        { baseURL, options in
            let resolved = environment.mapValues { $0.replacingOccurrences(of: "{server}", with: baseURL.absoluteString) }
            return try makeChatModel(provider: provider, model: model, environment: ProviderEnvironment(resolved),
                                     transport: URLSessionTransport(), options: options)
        }
    }

    static var openAI: ConformanceFixture {
        OpenAIWire().fixture(
            provider: "openai", credentialVariable: "OPENAI_API_KEY", secret: FakeKey.openAI,
            makeClient: client("openai", ["OPENAI_API_KEY": FakeKey.openAI, "OPENAI_BASE_URL": "{server}/v1"]),
            encodings: encodings(path: "/v1/chat/completions",
                                 headers: ["authorization": "Bearer \(FakeKey.openAI)", "content-type": "application/json"],
                                 model: "test-model", maxTokens: "max_completion_tokens", responseFormat: jsonSchemaFormat, streamUsage: true))
    }

    static func azureOpenAI(entra: Bool) -> ConformanceFixture {
        let environment = entra
            ? ["AZURE_OPENAI_ENDPOINT": "{server}/", "AZURE_OPENAI_USE_AD": "true", "AZURE_OPENAI_AD_TOKEN": FakeKey.jwt]
            : ["AZURE_OPENAI_ENDPOINT": "{server}/", "AZURE_OPENAI_API_KEY": FakeKey.azure]
        let auth = entra ? ["authorization": "Bearer \(FakeKey.jwt)"] : ["api-key": FakeKey.azure]
        return OpenAIWire(azure: true, model: "gpt-4o-2024-08-06").fixture(
            provider: "azure-openai", credentialVariable: entra ? "AZURE_OPENAI_AD_TOKEN" : "AZURE_OPENAI_API_KEY",
            secret: entra ? FakeKey.jwt : FakeKey.azure, makeClient: client("azure-openai", environment),
            encodings: encodings(path: "/openai/deployments/test-model/chat/completions", query: ["api-version": "2024-10-21"],
                                 headers: auth, model: nil, maxTokens: "max_tokens", responseFormat: jsonSchemaFormat, streamUsage: true))
    }

    static var azureInference: ConformanceFixture {
        // The model-inference spec's stream: OpenAI chunks, and no usage (no stream_options is sent).
        OpenAIWire(model: "Phi-4", streamUsage: false).fixture(
            provider: "azure-inference", credentialVariable: "AZURE_SMALL_MODEL_KEY", secret: FakeKey.azure,
            makeClient: client("azure", ["AZURE_SMALL_MODEL_ENDPOINT": "{server}/models", "AZURE_SMALL_MODEL_KEY": FakeKey.azure]),
            encodings: encodings(path: "/models/chat/completions", query: ["api-version": "2024-05-01-preview"],
                                 headers: ["api-key": FakeKey.azure, "authorization": "Bearer \(FakeKey.azure)"],
                                 model: "test-model", maxTokens: "max_tokens", responseFormat: jsonSchemaFormat, streamUsage: false))
    }

    static var openAICompatible: ConformanceFixture {
        // llama-cpp-python as observed (§7): usage when not streamed, none in streams.
        OpenAIWire(model: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", streamUsage: false).fixture(
            provider: "openai-compatible", credentialVariable: "LOCAL_MODEL_API_KEY", secret: FakeKey.openAI,
            makeClient: client("openai-compatible", ["LOCAL_MODEL_URL": "{server}/v1", "LOCAL_MODEL_API_KEY": FakeKey.openAI]),
            encodings: encodings(path: "/v1/chat/completions", headers: ["authorization": "Bearer \(FakeKey.openAI)"],
                                 model: "test-model", maxTokens: "max_tokens",
                                 responseFormat: ["type": "json_object", "schema": ConformanceRequests.personSchema], streamUsage: true))
    }
}
