import CassetteTesting
import Foundation
import OrchJSON
import Providers

/// Answers in OpenAI's Chat Completions wire format (wire-formats §1), with Azure's additions
/// (§2: `prompt_filter_results`, per-choice `content_filter_results`, a first stream chunk with
/// empty `choices`) when `azure` is set. Content matches `ConformanceFixture`'s expectations.
struct OpenAIWire {
    var azure = false
    var model = "gpt-4o-mini-2024-07-18"
    /// Local servers (llama-cpp-python) send no usage in streams.
    var streamUsage = true

    static let usage: JSONValue = [
        "prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15,
        "prompt_tokens_details": ["cached_tokens": 0, "audio_tokens": 0],
        "completion_tokens_details": ["reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0],
    ]
    static let safe: JSONValue = [
        "hate": ["filtered": false, "severity": "safe"], "self_harm": ["filtered": false, "severity": "safe"],
        "sexual": ["filtered": false, "severity": "safe"], "violence": ["filtered": false, "severity": "safe"],
    ]

    func completion(message: JSONValue, finish: String) -> LoopbackHTTPServer.Response {
        var choice: [String: JSONValue] = ["index": 0, "message": message, "logprobs": nil, "finish_reason": .string(finish)]
        var body: [String: JSONValue] = [
            "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "object": "chat.completion", "created": 1_741_570_283,
            "model": .string(model), "choices": [], "usage": Self.usage, "system_fingerprint": "fp_44709d6fcb",
        ]
        if azure {
            choice["content_filter_results"] = Self.safe
            body["prompt_filter_results"] = [["prompt_index": 0, "content_filter_results": Self.safe]]
        } else {
            body["service_tier"] = "default"
        }
        body["choices"] = [.object(choice)]
        return .json(JSONValue.object(body).serialized(), headers: ["x-request-id": "req_123", "x-ratelimit-remaining-requests": "59"])
    }

    var plain: LoopbackHTTPServer.Response {
        completion(message: ["role": "assistant", "content": "Hello!", "refusal": nil, "annotations": []], finish: "stop")
    }
    var structured: LoopbackHTTPServer.Response {
        completion(message: ["role": "assistant", "content": #"{"name":"Ada","age":36}"#, "refusal": nil], finish: "stop")
    }
    var tool: LoopbackHTTPServer.Response {
        completion(message: ["role": "assistant", "content": nil, "refusal": nil, "tool_calls": [[
            "id": "call_abc123", "type": "function", "function": ["name": "get_weather", "arguments": #"{"city":"Paris"}"#],
        ]]], finish: "tool_calls")
    }

    /// One `data:` event per chunk: (Azure's filter-only chunk), role, deltas, finish, (usage), [DONE].
    func stream(_ deltas: [JSONValue], finish: String) -> [String] {
        func chunk(_ delta: JSONValue, finish: String?) -> String {
            var choice: [String: JSONValue] = ["index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish.map(JSONValue.string) ?? nil]
            if azure { choice["content_filter_results"] = [:] }
            var body: [String: JSONValue] = ["id": "chatcmpl-123", "object": "chat.completion.chunk", "created": 1_694_268_190,
                                             "model": .string(model), "system_fingerprint": "fp_44709d6fcb", "choices": [.object(choice)],
                                             "obfuscation": "x7Qp"]
            if streamUsage { body["usage"] = JSONValue.null }  // with include_usage every chunk has "usage": null
            return "data: \(JSONValue.object(body).serialized())\n\n"
        }
        var events: [String] = []
        if azure {
            let filterOnly: JSONValue = ["choices": [], "created": 0, "id": "", "model": "", "object": "",
                                         "prompt_filter_results": [["prompt_index": 0, "content_filter_results": Self.safe]]]
            events.append("data: \(filterOnly.serialized())\n\n")
        }
        events.append(chunk(["role": "assistant", "content": "", "refusal": nil], finish: nil))
        events += deltas.map { chunk($0, finish: nil) }
        events.append(chunk([:], finish: finish))
        if streamUsage {
            let usage: JSONValue = ["id": "chatcmpl-123", "object": "chat.completion.chunk", "created": 1_694_268_190, "model": .string(model),
                                    "choices": [], "usage": Self.usage]
            events.append("data: \(usage.serialized())\n\n")
        }
        events.append("data: [DONE]\n\n")
        return events
    }

    var streamed: [String] { stream([["content": "Hel"], ["content": "lo!"]], finish: "stop") }
    var streamedTool: [String] {
        stream([
            ["tool_calls": [["index": 0, "id": "call_abc123", "type": "function", "function": ["name": "get_weather", "arguments": ""]]]],
            ["tool_calls": [["index": 0, "function": ["arguments": #"{"ci"#]]]],
            ["tool_calls": [["index": 0, "function": ["arguments": #"ty":"Paris"}"#]]]],
        ], finish: "tool_calls")
    }

    /// OpenAI's error body; Azure's has a string `code` (wire-formats §2).
    func error(_ status: Int, _ message: String) -> LoopbackHTTPServer.Response {
        let body: JSONValue = azure
            ? ["error": ["code": .string(status == 404 ? "DeploymentNotFound" : "\(status)"), "message": .string(message)]]
            : ["error": ["message": .string(message), "type": status == 429 ? "requests" : "invalid_request_error", "param": nil,
                         "code": status == 429 ? "rate_limit_exceeded" : nil]]
        return .json(body.serialized(), status: status, headers: status == 429 ? ["retry-after": "1"] : [:])
    }

    /// The conformance fixture of a client that speaks this wire format.
    func fixture(provider: String, credentialVariable: String, secret: String,
                 makeClient: @escaping @Sendable (URL, ClientOptions) throws -> any ChatModel,
                 encodings: [ConformanceFixture.Encoding]) -> ConformanceFixture {
        ConformanceFixture(provider: provider, credentialVariable: credentialVariable, secret: secret, makeClient: makeClient,
                           plainAnswer: plain, streamedAnswer: streamed, toolAnswer: tool, streamedToolAnswer: streamedTool,
                           structuredAnswer: structured, errorAnswer: error,
                           streamedUsage: streamUsage ? TokenUsage(inputTokens: 12, outputTokens: 3) : nil, encodings: encodings)
    }
}
