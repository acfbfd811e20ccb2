import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
import Providers
import Testing

/// Azure OpenAI with Entra ID tokens from a real subprocess, and Azure ML `/score` endpoints.
@Suite struct AzureClientTests {
    /// A directory holding a fake `az` that prints a token and counts its runs.
    private func fakeAz(expiresIn seconds: Int, status: Int = 0) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fake-az-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let expires = Int(Date().timeIntervalSince1970) + seconds
        let script = """
        #!/bin/sh
        echo "$@" >> "$0.calls"
        if [ \(status) -ne 0 ]; then echo "Please run 'az login' to setup account." >&2; exit \(status); fi
        echo '{"accessToken": "\(FakeKey.jwt)", "expiresOn": "2030-01-01 00:00:00.000000", "expires_on": \(expires), "subscription": "s", "tenant": "t", "tokenType": "Bearer"}'
        """
        let az = directory.appendingPathComponent("az")
        try script.write(to: az, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: az.path)
        return directory
    }

    private func calls(_ directory: URL) -> [String] {
        ((try? String(contentsOf: directory.appendingPathComponent("az.calls"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    private func azureClient(_ server: LoopbackHTTPServer, az directory: URL) throws -> any ChatModel {
        let environment = ProviderEnvironment(["AZURE_OPENAI_ENDPOINT": server.baseURL.absoluteString, "AZURE_OPENAI_USE_AD": "true",
                                               "AZURE_OPENAI_DEPLOYMENT": "gpt4o-prod"])
        return try makeChatModel(provider: "azure-openai", model: nil, environment: environment, transport: URLSessionTransport(),
                                 options: ClientOptions(retry: InstantRetry().policy, commandRunner: .system(environment: ["PATH": directory.path])))
    }

    @Test func theAzCLITokenIsFetchedOnceAndCached() async throws {
        let az = try fakeAz(expiresIn: 3600)
        defer { try? FileManager.default.removeItem(at: az) }
        let server = try LoopbackHTTPServer { _ in OpenAIWire(azure: true).plain }
        defer { server.stop() }
        let client = try azureClient(server, az: az)
        _ = try await client.complete(ChatRequest(messages: [.user("one")]))
        _ = try await client.complete(ChatRequest(messages: [.user("two")]))
        #expect(calls(az) == ["account get-access-token --resource https://cognitiveservices.azure.com --output json"])
        #expect(server.received.map { $0.headers["authorization"] } == ["Bearer \(FakeKey.jwt)", "Bearer \(FakeKey.jwt)"])
        #expect(server.received.first?.path == "/openai/deployments/gpt4o-prod/chat/completions")
        #expect(server.received.first?.headers["api-key"] == nil)
    }

    @Test func aTokenAboutToExpireIsFetchedAgain() async throws {
        let az = try fakeAz(expiresIn: 60)  // inside the five-minute margin
        defer { try? FileManager.default.removeItem(at: az) }
        let server = try LoopbackHTTPServer { _ in OpenAIWire(azure: true).plain }
        defer { server.stop() }
        let client = try azureClient(server, az: az)
        _ = try await client.complete(ChatRequest(messages: [.user("one")]))
        _ = try await client.complete(ChatRequest(messages: [.user("two")]))
        #expect(calls(az).count == 2)
    }

    @Test func aMissingAzSaysBothWays() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-az-\(UUID().uuidString)")
        let server = try LoopbackHTTPServer { _ in OpenAIWire(azure: true).plain }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) {
            try await azureClient(server, az: empty).complete(ChatRequest(messages: [.user("x")]))
        }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("AZURE_OPENAI_AD_TOKEN") == true)
        #expect(error?.message.contains("az login") == true)
        #expect(server.requestCount == 0)
    }

    @Test func aLoggedOutAzIsUnauthorized() async throws {
        let az = try fakeAz(expiresIn: 3600, status: 1)
        defer { try? FileManager.default.removeItem(at: az) }
        let server = try LoopbackHTTPServer { _ in OpenAIWire(azure: true).plain }
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) {
            try await azureClient(server, az: az).complete(ChatRequest(messages: [.user("x")]))
        }
        #expect(error?.code == .unauthorized)
        #expect(error?.message.contains("az login") == true)
    }

    // MARK: Azure ML online endpoints (`/score`)

    private func scoreClient(_ server: LoopbackHTTPServer, deployment: String? = nil) throws -> any ChatModel {
        var variables = ["AZURE_SMALL_MODEL_ENDPOINT": server.baseURL.absoluteString + "/score", "AZURE_SMALL_MODEL_KEY": FakeKey.azure,
                         "WORKER_MODEL": "phi3"]
        variables["AZURE_SMALL_MODEL_DEPLOYMENT"] = deployment
        return try makeChatModel(provider: "azure", model: nil, environment: ProviderEnvironment(variables), transport: URLSessionTransport(),
                                 options: ClientOptions(retry: InstantRetry().policy))
    }

    @Test func scoreEndpointsTakeInputDataAndGiveOutput() async throws {
        let server = try LoopbackHTTPServer { _ in .json(#"{"output": "Hello! How can I help?"}"#) }
        defer { server.stop() }
        let client = try scoreClient(server, deployment: "phi3-blue")
        #expect(client.provider == "azure-ml")
        let response = try await client.complete(ChatRequest(system: "Be terse.", messages: [.user("Hello")], temperature: 0.7, maxOutputTokens: 256))
        #expect(response.text == "Hello! How can I help?")
        #expect(response.usage == nil)
        let sent = try #require(server.received.first)
        #expect(sent.path == "/score")
        #expect(sent.headers["authorization"] == "Bearer \(FakeKey.azure)")
        #expect(sent.headers["azureml-model-deployment"] == "phi3-blue")
        #expect(try JSONValue(parsing: sent.body) == [
            "input_data": ["input_string": [["role": "system", "content": "Be terse."], ["role": "user", "content": "Hello"]],
                           "parameters": ["temperature": 0.7, "max_new_tokens": 256]],
        ])
    }

    @Test func otherScoreScriptShapesAreRead() async throws {
        let server = try LoopbackHTTPServer { request in
            request.text.contains("list") ? .json(#"[{"0": "from a list"}]"#) : OpenAIWire(model: "phi-3").plain
        }
        defer { server.stop() }
        let client = try scoreClient(server)
        #expect(try await client.complete(ChatRequest(messages: [.user("list")])).text == "from a list")
        let openAIShaped = try await client.complete(ChatRequest(messages: [.user("chat")]))
        #expect(openAIShaped.text == "Hello!")
        #expect(openAIShaped.provider == "azure-ml")
        #expect(openAIShaped.usage == TokenUsage(inputTokens: 12, outputTokens: 3))
    }

    @Test func scoreEndpointsAskForStructuredOutputInThePromptAndRefuseTools() async throws {
        let server = try LoopbackHTTPServer { _ in .json(#"{"output": "{\"name\": \"Ada\", \"age\": 36}"}"#) }
        defer { server.stop() }
        let client = try scoreClient(server)
        let response = try await client.complete(ConformanceRequests.structured)
        #expect(response.json == ["name": "Ada", "age": 36])
        let sent = try JSONValue(parsing: try #require(server.received.first).body)
        #expect(sent["input_data"]?["input_string"]?.arrayValue?.first?["content"]?.stringValue?.contains(#""required":["name","age"]"#) == true)
        let error = await #expect(throws: ProviderError.self) { try await client.complete(ConformanceRequests.tools) }
        #expect(error?.code == .badRequest)
    }

    @Test func aScoreStreamIsTheWholeAnswerAtOnce() async throws {
        let server = try LoopbackHTTPServer { _ in .json(#"{"output": "Hello!"}"#) }
        defer { server.stop() }
        var deltas: [String] = []
        let response = try await scoreClient(server).stream(ChatRequest(messages: [.user("Hello")])).finalResponse { deltas.append($0) }
        #expect(deltas == ["Hello!"])
        #expect(response.text == "Hello!")
    }

    @Test func scoreErrorsAndMalformedAnswers() async throws {
        let server = try LoopbackHTTPServer { request in
            request.text.contains("key") ? .json(#"{"message": "Invalid key"}"#, status: 401) : .text("<html>upstream</html>")
        }
        defer { server.stop() }
        let client = try scoreClient(server)
        let unauthorized = await #expect(throws: ProviderError.self) { try await client.complete(ChatRequest(messages: [.user("key")])) }
        #expect(unauthorized?.code == .unauthorized)
        #expect(unauthorized?.message.contains("AZURE_SMALL_MODEL_KEY") == true)
        let malformed = await #expect(throws: ProviderError.self) { try await client.complete(ChatRequest(messages: [.user("x")])) }
        #expect(malformed?.code == .malformedResponse)
        #expect(malformed?.message.contains("upstream") == true)
    }
}
