import OrchJSON

/// Why the model stopped.
public enum FinishReason: Sendable, Equatable {
    case stop, length, toolCalls, contentFilter
    /// A reason this project does not model, as the provider spelled it.
    case other(String)

    /// The snake-case name used in `--json` output and ledgers.
    public var name: String {
        switch self {
        case .stop: "stop"
        case .length: "length"
        case .toolCalls: "tool_calls"
        case .contentFilter: "content_filter"
        case .other(let raw): raw
        }
    }
}

/// Tokens counted by the provider. Unknown usage is `nil` on the response, never zeros.
public struct TokenUsage: Sendable, Equatable {
    public var inputTokens: Int
    public var outputTokens: Int
    /// Input tokens served from the provider's prompt cache (part of `inputTokens`).
    public var cachedInputTokens: Int

    public init(inputTokens: Int, outputTokens: Int, cachedInputTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
    }
}

/// Time from sending the request to the first body byte and to the end of the answer.
public struct Latency: Sendable, Equatable {
    /// `nil` when the answer was not streamed (the whole body arrived at once).
    public var firstByteMilliseconds: Double?
    public var totalMilliseconds: Double

    public init(firstByteMilliseconds: Double? = nil, totalMilliseconds: Double) {
        self.firstByteMilliseconds = firstByteMilliseconds
        self.totalMilliseconds = totalMilliseconds
    }
}

/// A model's complete answer.
public struct ChatResponse: Sendable, Equatable {
    public var text: String
    public var toolCalls: [ToolCall]
    public var finishReason: FinishReason
    /// `nil` = the provider did not say (never zero for unknown).
    public var usage: TokenUsage?
    /// The model that answered, as the provider reported it.
    public var model: String
    public var provider: String
    public var latency: Latency

    public init(text: String, toolCalls: [ToolCall] = [], finishReason: FinishReason, usage: TokenUsage? = nil,
                model: String, provider: String, latency: Latency = Latency(totalMilliseconds: 0)) {
        self.text = text
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
        self.provider = provider
        self.latency = latency
    }

    /// For structured output: `text` parsed as JSON, or, when the answer is a single tool call
    /// (structured output by a forced tool), that call's arguments. `nil` when neither parses.
    public var json: JSONValue? {
        if let parsed = try? JSONValue(parsing: text) { return parsed }
        if toolCalls.count == 1 { return toolCalls[0].arguments }
        return nil
    }
}

/// One event of a streamed answer.
public enum ChatStreamEvent: Sendable, Equatable {
    case textDelta(String)
    /// A piece of a tool call: `id` and `name` arrive with its first piece (as the provider
    /// sends them), `argumentsFragment` is JSON text to concatenate.
    case toolCallDelta(index: Int, id: String?, name: String?, argumentsFragment: String)
    /// The end: the same response `complete` would have returned.
    case completed(ChatResponse)
}
