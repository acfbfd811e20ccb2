import Cassettes
import Foundation
import OrchJSON

extension OpenAIClient {
    /// A non-streamed `chat.completion` body as a response (wire-formats §1, §2, §6a, §7).
    static func decodeCompletion(_ body: Data, provider: String, fallbackModel: String, latency: Latency) throws(ProviderError) -> ChatResponse {
        guard let json = try? JSONValue(parsing: body) else {
            throw ProviderError.malformed(provider, "the answer is not JSON", body: body)
        }
        guard let choice = json["choices"]?.arrayValue?.first, let message = choice["message"]?.objectValue else {
            throw ProviderError.malformed(provider, "the answer has no choices[0].message", body: body)
        }
        let finish = finishReason(choice["finish_reason"]?.stringValue)
        if let refusal = message["refusal"]?.stringValue {
            throw ProviderError(.contentFiltered, provider: provider, "the model refused: “\(ProviderError.clip(refusal))”")
        }
        if finish == .contentFilter {
            throw ProviderError(.contentFiltered, provider: provider, "a content filter stopped the answer\(filtered(choice["content_filter_results"]))")
        }
        var calls: [ToolCall] = []
        for (index, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
            guard let name = call["function"]?["name"]?.stringValue else {
                throw ProviderError.malformed(provider, "tool_calls[\(index)] has no function.name", body: body)
            }
            let arguments = call["function"]?["arguments"]
            // Arguments are a JSON string on the wire; accept an object from lenient servers.
            let parsed = try arguments?.objectValue != nil ? arguments! : ToolCall.parseArguments(arguments?.stringValue ?? "", provider: provider, tool: name)
            calls.append(ToolCall(id: call["id"]?.stringValue ?? "call_\(index)", name: name, arguments: parsed))
        }
        let model = json["model"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? fallbackModel
        return ChatResponse(text: message["content"]?.stringValue ?? "", toolCalls: calls, finishReason: finish,
                            usage: usage(json["usage"], timings: json["timings"]), model: model, provider: provider, latency: latency)
    }

    static func finishReason(_ raw: String?) -> FinishReason {
        switch raw {
        case "stop", nil: .stop
        case "length": .length
        case "tool_calls", "function_call": .toolCalls
        case "content_filter": .contentFilter
        case let other?: .other(other)
        }
    }

    /// Token counts from `usage`; failing that, from llama.cpp's `timings` (prompt_n + cache_n
    /// in, predicted_n out; §7). `nil` when neither is there: unknown, never zero.
    static func usage(_ usage: JSONValue?, timings: JSONValue?) -> TokenUsage? {
        if let usage, let input = usage["prompt_tokens"]?.intValue, let output = usage["completion_tokens"]?.intValue {
            return TokenUsage(inputTokens: input, outputTokens: output,
                              cachedInputTokens: usage["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0)
        }
        if let timings, let prompt = timings["prompt_n"]?.intValue, let predicted = timings["predicted_n"]?.intValue {
            let cached = timings["cache_n"]?.intValue ?? 0
            return TokenUsage(inputTokens: prompt + cached, outputTokens: predicted, cachedInputTokens: cached)
        }
        return nil
    }

    /// ": hate (high), sexual (medium)" for the categories Azure marked filtered, or "".
    static func filtered(_ results: JSONValue?) -> String {
        let hits = (results?.objectValue ?? [:]).filter { $0.value["filtered"] == true }.keys.sorted().map { category in
            results?[category]?["severity"]?.stringValue.map { "\(category) (\($0))" } ?? category
        }
        return hits.isEmpty ? "" : ": " + hits.joined(separator: ", ")
    }

    /// Reads `{"error": {"message", "type", "code"}}` (OpenAI, Azure, llama.cpp), FastAPI's
    /// `{"detail": …}` and a bare `{"message": …}`; Azure's `content_filter` 400 is a refusal,
    /// OpenAI's `insufficient_quota` 429 is not worth retrying.
    @Sendable static func readError(_ response: HTTPResponse) -> ErrorDetails {
        guard let json = try? JSONValue(parsing: response.body) else { return ErrorDetails() }
        let error = json["error"]
        let message = error?["message"]?.stringValue ?? error?.stringValue ?? json["message"]?.stringValue
            ?? json["detail"].map { $0.stringValue ?? $0.serialized() }
        let code = error?["code"]?.stringValue
        var details = ErrorDetails(message: message)
        if code == "content_filter" || error?["innererror"]?["code"]?.stringValue == "ResponsibleAIPolicyViolation" {
            details.code = .contentFiltered
            details.message = (message ?? "") + filtered(error?["innererror"]?["content_filter_result"])
        }
        if code == "insufficient_quota" || error?["type"]?.stringValue == "insufficient_quota" { details.retryable = false }
        return details
    }
}
