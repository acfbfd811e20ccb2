import Cassettes
import Foundation
import OrchJSON
import Providers
import Synchronization

/// A chat server in one provider's documented wire format (wire-formats.md §1–5, §7), as an
/// in-process transport: it answers each request with the next of `answers` (the last one
/// repeats) and keeps every request, so a test can read what the planner sent. Recording
/// through it makes the synthetic cassettes under Cassettes/PlannerTests.
final class ChatWire: HTTPTransport {
    let provider: String
    private let answers: [String]
    private let log = Mutex<[HTTPRequest]>([])

    init(_ provider: String, answers: [String]) {
        self.provider = provider
        self.answers = answers
    }

    /// The bodies of the requests received, parsed.
    var requests: [JSONValue] { log.withLock { $0 }.compactMap { try? JSONValue(parsing: $0.body) } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let index = log.withLock { log in
            log.append(request)
            return log.count - 1
        }
        let text = answers[min(index, answers.count - 1)]
        return HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: body(text).serializedData())
    }

    /// The answer `text` (a plan's JSON, or prose) as the provider sends a structured answer.
    func body(_ text: String) -> JSONValue {
        let json = try? JSONValue(parsing: text)
        switch provider {
        case "anthropic":
            // Structured output by a forced tool: the plan is the tool's `input` object.
            let block: JSONValue = json.map { ["type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "plan", "input": $0] }
                ?? ["type": "text", "text": .string(text)]
            return ["id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
                    "content": [block], "stop_reason": json == nil ? "end_turn" : "tool_use", "stop_sequence": nil,
                    "usage": ["input_tokens": 612, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 188,
                              "service_tier": "standard"]]
        case "gemini":
            return ["candidates": [["content": ["parts": [["text": .string(text)]], "role": "model"], "finishReason": "STOP", "index": 0]],
                    "usageMetadata": ["promptTokenCount": 598, "candidatesTokenCount": 176, "totalTokenCount": 774,
                                      "promptTokensDetails": [["modality": "TEXT", "tokenCount": 598]]],
                    "modelVersion": "gemini-2.5-flash", "responseId": "WhmlabShCNjv-8YPl_D1gAo"]
        case "ollama":
            return ["model": "qwen2.5-coder:1.5b", "created_at": "2026-12-02T14:13:43.416799Z",
                    "message": ["role": "assistant", "content": .string(text)], "done": true, "done_reason": "stop",
                    "total_duration": 5_191_566_416, "load_duration": 2_154_458, "prompt_eval_count": 540,
                    "prompt_eval_duration": 383_809_000, "eval_count": 170, "eval_duration": 4_799_921_000]
        default:  // openai, azure-openai, openai-compatible (llama-cpp-python echoes the model file)
            let model: JSONValue = provider == "openai-compatible" ? "/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf" : "gpt-4o-2024-08-06"
            return ["id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "object": "chat.completion", "created": 1_741_570_283, "model": model,
                    "choices": [["index": 0, "message": ["role": "assistant", "content": .string(text), "refusal": nil],
                                 "logprobs": nil, "finish_reason": "stop"]],
                    "usage": ["prompt_tokens": 604, "completion_tokens": 181, "total_tokens": 785]]
        }
    }
}

/// A transport that never answers until its task is cancelled: a model that hangs.
struct SilentTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let (stream, _) = AsyncStream<Never>.makeStream()
        for await _ in stream {}
        throw CancellationError()
    }
}

/// A client for `provider` on `transport`, with test credentials and no retries.
func chatModel(_ provider: String, transport: any HTTPTransport) throws -> any ChatModel {
    let options = ClientOptions(retry: .none)
    switch provider {
    case "anthropic": return AnthropicClient(apiKey: "test-anthropic-key", model: "claude-sonnet-4-5", transport: transport, options: options)
    case "gemini": return GeminiClient(apiKey: "test-gemini-key", model: "gemini-2.5-flash", transport: transport, options: options)
    case "ollama": return OllamaClient(model: "qwen2.5-coder:1.5b", transport: transport, options: options)
    default:
        let environment = ProviderEnvironment([
            "OPENAI_API_KEY": "test-openai-key", "AZURE_OPENAI_API_KEY": "test-azure-key",
            "AZURE_OPENAI_ENDPOINT": "https://example-resource.openai.azure.com", "AZURE_OPENAI_DEPLOYMENT": "gpt-4o",
            "LOCAL_MODEL_URL": "http://127.0.0.1:8081/v1",
        ])
        let model = provider == "openai-compatible" ? "qwen2.5-coder-1.5b" : provider == "openai" ? "gpt-4o" : nil
        return try makeChatModel(provider: provider, model: model, environment: environment, transport: transport, options: options)
    }
}
