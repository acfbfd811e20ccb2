import Cassettes
import Foundation
import OrchJSON
import Providers
import Testing

/// The synthetic cloud cassettes (written by scripts/make_synthetic_cassettes.py in each
/// provider's documented wire format) replay offline through the real clients. A cassette
/// matches only the exact request JSON the provider documents, so a replay also checks the
/// clients' request encoding.
@Suite struct SyntheticCassetteReplayTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Cassettes/providers/synthetic")

    /// How each provider is configured (hosts as in the cassettes; keys are fakes).
    struct Provider: Sendable, CustomTestStringConvertible {
        var file: String
        var name: String
        var model: String?
        var environment: [String: String]
        var hasTools = true
        /// Whether the provider reports usage in streams.
        var streamUsage = true
        /// Whether the provider reports usage at all.
        var usage = true
        var testDescription: String { file }
    }

    static let providers = [
        Provider(file: "openai", name: "openai", model: "gpt-4o", environment: ["OPENAI_API_KEY": FakeKey.openAI]),
        Provider(file: "azure-openai", name: "azure-openai", model: "gpt-4o-prod",
                 environment: ["AZURE_OPENAI_ENDPOINT": "https://myresource.openai.azure.com", "AZURE_OPENAI_API_KEY": FakeKey.azure]),
        Provider(file: "azure-inference", name: "azure", model: "Phi-4-mini-instruct",
                 environment: ["AZURE_SMALL_MODEL_ENDPOINT": "https://myfoundry.services.ai.azure.com/models", "AZURE_SMALL_MODEL_KEY": FakeKey.azure],
                 streamUsage: false),
        Provider(file: "azure-ml", name: "azure", model: nil, environment: [
            "AZURE_SMALL_MODEL_ENDPOINT": "https://phi3-endpoint.eastus2.inference.ml.azure.com/score", "AZURE_SMALL_MODEL_KEY": FakeKey.azure,
        ], hasTools: false, streamUsage: false, usage: false),
        Provider(file: "anthropic", name: "anthropic", model: "claude-sonnet-4-6", environment: ["ANTHROPIC_API_KEY": FakeKey.anthropic]),
        Provider(file: "gemini", name: "gemini", model: "gemini-2.5-flash", environment: ["GOOGLE_API_KEY": FakeKey.google]),
        Provider(file: "ollama", name: "ollama", model: "qwen2.5-coder:0.5b", environment: [:]),
    ]

    // The four conversations of the generator.
    static let system = "You are terse."
    static func request(_ user: String, tools: Bool = false, schema: Bool = false) -> ChatRequest {
        let weather = ToolDefinition(name: "get_weather", description: "Current weather in a city", inputSchema: [
            "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"], "additionalProperties": false,
        ])
        let item: JSONValue = ["type": "object", "properties": ["description": ["type": "string"], "price": ["type": "number"]],
                               "required": ["description", "price"], "additionalProperties": false]
        return ChatRequest(system: system, messages: [.user(user)], responseFormat: schema ? ResponseFormat(name: "item", schema: item) : nil,
                           tools: tools ? [weather] : [], temperature: 0, maxOutputTokens: 256)
    }

    func client(_ provider: Provider, _ name: String) throws -> any ChatModel {
        let transport = try CassetteTransport(file: Self.directory.appendingPathComponent("\(provider.file)-\(name).json"), mode: .never)
        return try makeChatModel(provider: provider.name, model: provider.model, environment: ProviderEnvironment(provider.environment),
                                 transport: transport, options: ClientOptions(retry: .none))
    }

    @Test(arguments: providers) func plain(_ provider: Provider) async throws {
        let response = try await client(provider, "plain").complete(Self.request("Say hello."))
        #expect(response.text == "Hello!")
        #expect(response.finishReason == .stop)
        #expect(provider.usage ? response.usage?.outputTokens ?? 0 >= 3 : response.usage == nil)
        #expect(provider.usage ? response.usage?.inputTokens == 14 : true)
    }

    @Test(arguments: providers) func stream(_ provider: Provider) async throws {
        var deltas: [String] = []
        let response = try await client(provider, "stream").stream(Self.request("Count to five.")).finalResponse { deltas.append($0) }
        #expect(response.text == "1, 2, 3, 4, 5.")
        #expect(deltas.joined() == response.text)
        #expect(response.finishReason == .stop)
        #expect(response.usage == (provider.streamUsage ? TokenUsage(inputTokens: 15, outputTokens: 10) : nil))
    }

    @Test(arguments: providers.filter { $0.hasTools }) func tool(_ provider: Provider) async throws {
        let client = try client(provider, "tool")
        let request = Self.request("What is the weather in Paris?", tools: true)
        let whole = try await client.complete(request)
        let streamed = try await client.stream(request).finalResponse()
        for response in [whole, streamed] {
            #expect(response.toolCalls.map(\.name) == ["get_weather"])
            #expect(response.toolCalls.first?.arguments == ["city": "Paris"])
            #expect(response.finishReason == .toolCalls)
        }
        #expect(whole.usage == TokenUsage(inputTokens: 62, outputTokens: 16))
        #expect(streamed.usage == (provider.streamUsage ? TokenUsage(inputTokens: 62, outputTokens: 16) : nil))
    }

    @Test(arguments: providers) func structured(_ provider: Provider) async throws {
        let client = try client(provider, "structured")
        let request = Self.request("Extract the item: Milk 2.49", schema: true)
        var responses = [try await client.complete(request)]
        if provider.file != "azure-ml" { responses.append(try await client.stream(request).finalResponse()) }
        for response in responses {
            #expect(response.json == ["description": "Milk", "price": 2.49])
            #expect(response.finishReason == .stop)
            #expect(response.toolCalls.isEmpty)
        }
    }

    @Test func everyCassetteSaysItIsSynthetic() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".json") }
        #expect(files.count == 27)
        for file in files {
            let json = try JSONValue(parsing: try Data(contentsOf: Self.directory.appendingPathComponent(file)))
            #expect(json["metadata"]?["origin"] == "synthetic", "\(file)")
        }
    }
}
