import CassetteTesting
import Foundation
import OrchJSON
import Providers
import Synchronization
import Testing
@testable import OrchEvalCLI

/// `orch-eval ask` against loopback servers that speak each OpenAI-family wire format
/// (docs/providers.md; wire formats from ../shared/reference/wire-formats.md §1, §2, §6, §7).
@Suite struct AskCommandTests {
    /// A key-shaped fake, built at run time so no key-like literal sits in the repository.
    static let key = "sk-" + "proj-" + String(repeating: "k3Y9", count: 12)

    static let completion = #"{"id":"chatcmpl-1","object":"chat.completion","created":1741570283,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0}},"service_tier":"default","system_fingerprint":"fp_44709d6fcb"}"#

    /// OpenAI's stream with usage (`include_usage`); `azure` adds Azure's filter-only first chunk,
    /// `usage: false` drops the usage chunk as llama-cpp-python does.
    static func stream(azure: Bool = false, usage: Bool = true) -> [String] {
        let chunk = #"data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":DELTA,"logprobs":null,"finish_reason":FINISH}]}"#
        func event(_ delta: String, _ finish: String = "null") -> String {
            chunk.replacingOccurrences(of: "DELTA", with: delta).replacingOccurrences(of: "FINISH", with: finish) + "\n\n"
        }
        var events = azure ? [#"data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}"# + "\n\n"] : []
        events += [event(#"{"role":"assistant","content":""}"#), event(#"{"content":"Hel"}"#), event(#"{"content":"lo!"}"#), event("{}", #""stop""#)]
        if usage {
            events.append(#"data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-2024-08-06","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"# + "\n\n")
        }
        return events + ["data: [DONE]\n\n"]
    }

    /// Answers `answers` in turn (the last one repeats).
    static func server(_ answers: [LoopbackHTTPServer.Response]) throws -> LoopbackHTTPServer {
        let served = Mutex(0)
        return try LoopbackHTTPServer { _ in answers[min(served.withLock { n in defer { n += 1 }; return n }, answers.count - 1)] }
    }

    /// Runs `orch-eval ask …` with `environment`, in `directory`, retrying without waiting.
    func ask(_ arguments: [String], environment: [String: String], directory: URL? = nil) async throws -> (Int32, String, String) {
        let captured = CapturedIO()
        let scratch = try TemporaryDirectory()
        let context = AskCommand.Context(clientOptions: ClientOptions(retry: RetryPolicy(sleep: { _ in }, random: { 0 })),
                                         directory: directory ?? scratch.url)
        let status = await AskCommand.run(arguments, io: captured.io(environment: environment), context: context)
        return (status, captured.out, captured.err)
    }

    func openAI(_ server: LoopbackHTTPServer) -> [String: String] {
        ["OPENAI_API_KEY": Self.key, "OPENAI_BASE_URL": server.baseURL.absoluteString + "/v1"]
    }

    @Test func jsonHasTheDocumentedKeysAndACostFromThePriceTable() async throws {
        let server = try Self.server([.json(Self.completion)])
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("Fixtures"), withIntermediateDirectories: true)
        _ = try directory.write("Fixtures/pricing.json", #"{"models":[{"provider":"openai","model":"gpt-4o-mini","input_per_million":0.15,"output_per_million":0.6,"source":"test","date":"2026-12-02"}]}"#)
        let (status, out, err) = try await ask(["hello", "--provider", "openai", "--model", "gpt-4o-mini", "--json"],
                                               environment: openAI(server), directory: directory.url)
        #expect(status == 0, "\(err)")
        let json = try JSONValue(parsing: out)
        #expect(Set(json.objectValue?.keys.map { $0 } ?? []) == ["text", "tool_calls", "usage", "cost_usd", "model", "latency_ms", "finish_reason"])
        #expect(json["text"] == "Hello!")
        #expect(json["tool_calls"] == [])
        #expect(json["usage"] == ["input_tokens": 12, "output_tokens": 3])
        #expect(json["cost_usd"]?.doubleValue.map { abs($0 - (12 * 0.15 + 3 * 0.6) / 1_000_000) < 1e-15 } == true)
        #expect(json["model"] == "gpt-4o-mini-2024-07-18")
        #expect(json["finish_reason"] == "stop")
        #expect(json["latency_ms"]?["first_byte"] == .null)
        #expect((json["latency_ms"]?["total"]?.doubleValue ?? -1) >= 0)
        let sent = try JSONValue(parsing: try #require(server.received.first).body)
        #expect(sent == ["model": "gpt-4o-mini", "messages": [["role": "user", "content": "hello"]]])
    }

    @Test func streamPrintsTheTextAsItArrives() async throws {
        let server = try Self.server([.stream(Self.stream())])
        defer { server.stop() }
        let (status, out, err) = try await ask(["hello", "--provider", "openai", "--stream", "--system", "Be terse."], environment: openAI(server))
        #expect(status == 0, "\(err)")
        #expect(out == "Hello!\n")
        let sent = try JSONValue(parsing: try #require(server.received.first).body)
        #expect(sent["stream"] == true)
        #expect(sent["stream_options"] == ["include_usage": true])
        #expect(sent["messages"]?.arrayValue?.first == ["role": "system", "content": "Be terse."])
    }

    @Test func azureOpenAIWithAnEntraTokenStreamed() async throws {
        let server = try Self.server([.stream(Self.stream(azure: true))])
        defer { server.stop() }
        let token = "ey" + "J" + String(repeating: "t", count: 24) + ".ey" + "J" + String(repeating: "u", count: 24) + "." + String(repeating: "v", count: 20)
        let environment = ["AZURE_OPENAI_ENDPOINT": server.baseURL.absoluteString, "AZURE_OPENAI_USE_AD": "true", "AZURE_OPENAI_AD_TOKEN": token]
        let (status, out, err) = try await ask(["hello", "--provider", "azure-openai", "--model", "gpt4o-prod", "--stream", "--json"], environment: environment)
        #expect(status == 0, "\(err)")
        let json = try JSONValue(parsing: out)
        #expect(json["text"] == "Hello!")
        #expect(json["model"] == "gpt-4o-2024-08-06")
        #expect(json["usage"] == ["input_tokens": 12, "output_tokens": 3])
        #expect(json["latency_ms"]?["first_byte"]?.doubleValue != nil)
        let sent = try #require(server.received.first)
        #expect(sent.path == "/openai/deployments/gpt4o-prod/chat/completions")
        #expect(sent.query["api-version"] == "2024-10-21")
        #expect(sent.headers["authorization"] == "Bearer \(token)")
    }

    @Test(arguments: [false, true]) func bothKindsOfAzureSmallModelEndpoint(score: Bool) async throws {
        let answer: LoopbackHTTPServer.Response = score ? .json(#"{"output": "Hello!"}"#) : .json(Self.completion)
        let server = try Self.server([answer])
        defer { server.stop() }
        let endpoint = server.baseURL.absoluteString + (score ? "/score" : "/models")
        let (status, out, err) = try await ask(["hello", "--provider", "azure", "--model", "Phi-4", "--json"],
                                               environment: ["AZURE_SMALL_MODEL_ENDPOINT": endpoint, "AZURE_SMALL_MODEL_KEY": "k" + String(repeating: "0", count: 31)])
        #expect(status == 0, "\(err)")
        let json = try JSONValue(parsing: out)
        #expect(json["text"] == "Hello!")
        #expect(json["usage"] == (score ? .null : ["input_tokens": 12, "output_tokens": 3]))
        #expect(json["cost_usd"] == .null, "no price is known for these models")
        #expect(server.received.first?.path == (score ? "/score" : "/models/chat/completions"))
    }

    @Test(arguments: [false, true]) func openAICompatibleLocalServer(streamed: Bool) async throws {
        let server = try Self.server([streamed ? .stream(Self.stream(usage: false)) : .json(Self.completion)])
        defer { server.stop() }
        var arguments = ["hello", "--provider", "transformers", "--json"]
        if streamed { arguments.append("--stream") }
        let (status, out, err) = try await ask(arguments, environment: ["LOCAL_MODEL_URL": server.baseURL.absoluteString + "/v1", "WORKER_MODEL": "qwen"])
        #expect(status == 0, "\(err)")
        let json = try JSONValue(parsing: out)
        #expect(json["text"] == "Hello!")
        #expect(json["usage"] == (streamed ? .null : ["input_tokens": 12, "output_tokens": 3]), "streams from llama-cpp-python carry no usage")
        #expect(json["cost_usd"] == 0, "local models cost nothing by default")
        #expect(server.received.first?.headers["authorization"] == nil)
    }

    @Test func a429AndTwo500sAreRetriedToAnAnswer() async throws {
        let server = try Self.server([
            .json(#"{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#, status: 429, headers: ["retry-after": "1"]),
            .json(#"{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}"#, status: 500),
            .json(#"{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}"#, status: 500),
            .json(Self.completion),
        ])
        defer { server.stop() }
        let (status, out, err) = try await ask(["hello", "--provider", "openai"], environment: openAI(server))
        #expect(status == 0, "\(err)")
        #expect(out == "Hello!\n")
        #expect(server.requestCount == 4)
    }

    @Test func schemaAnswersAreChecked() async throws {
        let directory = try TemporaryDirectory()
        let schema = try directory.write("person.json", #"{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}"#)
        let good = Self.completion.replacingOccurrences(of: #""content":"Hello!""#, with: #""content":"{\"name\":\"Ada\"}""#)
        let bad = Self.completion.replacingOccurrences(of: #""content":"Hello!""#, with: #""content":"{\"age\":36}""#)
        let server = try Self.server([.json(good), .json(bad)])
        defer { server.stop() }
        let first = try await ask(["who?", "--provider", "openai", "--schema", schema], environment: openAI(server))
        #expect(first.0 == 0, "\(first.2)")
        let sent = try JSONValue(parsing: try #require(server.received.first).body)
        #expect(sent["response_format"]?["json_schema"]?["name"] == "person")
        let second = try await ask(["who?", "--provider", "openai", "--schema", schema], environment: openAI(server))
        #expect(second.0 == 1)
        #expect(second.2.contains("does not follow"))
        #expect(second.2.contains("name"))
    }

    @Test func refusedCredentialsNameTheVariableAndNotTheKey() async throws {
        let server = try Self.server([.json(#"{"error":{"message":"Incorrect API key provided: \#(Self.key).","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#, status: 401)])
        defer { server.stop() }
        let (status, _, err) = try await ask(["hello", "--provider", "openai"], environment: openAI(server))
        #expect(status == 1)
        #expect(err.hasPrefix("Error: "))
        #expect(err.contains("OPENAI_API_KEY"))
        #expect(!err.contains(Self.key))
    }

    @Test(arguments: [
        (["hello", "--provider", "watson"], "--provider must be one of"),
        (["hello", "--record", "all"], "--record needs --cassette"),
        (["hello", "--provider", "openai"], "OPENAI_API_KEY is not set"),
        (["hello", "--provider", "openai", "--schema", "/nonexistent/schema.json"], "cannot read the schema file"),
    ]) func unusableInputIsAUsageError(arguments: [String], message: String) async throws {
        let (status, out, err) = try await ask(arguments, environment: [:])
        #expect(status == 2)
        #expect(out.isEmpty)
        #expect(err.contains(message), "\(err)")
    }

    @Test func aRecordedCassetteReplaysWithoutTheServer() async throws {
        let server = try Self.server([.stream(Self.stream())])
        let directory = try TemporaryDirectory()
        let cassette = directory.url.appendingPathComponent("ask.json").path
        let recorded = try await ask(["hello", "--provider", "openai", "--stream", "--json", "--cassette", cassette, "--record", "all"],
                                     environment: openAI(server))
        #expect(recorded.0 == 0, "\(recorded.2)")
        server.stop()
        let replayed = try await ask(["hello", "--provider", "openai", "--stream", "--json", "--cassette", cassette], environment: openAI(server))
        #expect(replayed.0 == 0, "\(replayed.2)")
        #expect(try JSONValue(parsing: replayed.1)["text"] == "Hello!")
        let file = try String(contentsOfFile: cassette, encoding: .utf8)
        #expect(!file.contains(Self.key))
        #expect(file.contains(#""origin" : "live""#) || file.contains(#""origin": "live""#))
        #expect(server.requestCount == 1)
    }

    @Test func theCommittedLiveCassetteReplaysOffline() async throws {
        let (status, out, err) = try await ask(
            ["Say hello in five words.", "--provider", "openai-compatible", "--model", "qwen2.5-coder-0.5b-instruct", "--system", "You are terse.",
             "--stream", "--json", "--cassette", "Cassettes/providers/live-qwen-0.5b-hello-stream.json"],
            environment: ["LOCAL_MODEL_URL": "http://127.0.0.1:8082/v1"], directory: packageRoot)
        #expect(status == 0, "\(err)")
        let json = try JSONValue(parsing: out)
        #expect(json["text"] == "Hello, how are you today?")
        #expect(json["usage"] == .null)
        #expect(json["cost_usd"] == 0)
    }
}
