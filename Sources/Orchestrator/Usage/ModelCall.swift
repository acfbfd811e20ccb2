import OrchJSON

/// Who in a run asked a model: the planner, a worker step, or the final synthesis.
public enum ModelRole: String, Sendable, Equatable, CaseIterable {
    case planner, worker, synthesis
}

/// One call to a model, as the ledger keeps it: who asked, which provider and model answered,
/// tokens, cost and latency. Unknown usage or cost stays nil, never zero (a model server that
/// reports no usage must not look free).
public struct ModelCall: Sendable, Equatable {
    public var role: ModelRole
    public var provider: String
    public var model: String
    public var inputTokens: Int?
    public var outputTokens: Int?
    public var cachedInputTokens: Int?
    public var costUSD: Double?
    public var latencyMilliseconds: Double
    /// The plan step that made the call (workers only).
    public var stepID: String?

    public init(role: ModelRole, provider: String, model: String, inputTokens: Int? = nil, outputTokens: Int? = nil,
                cachedInputTokens: Int? = nil, costUSD: Double? = nil, latencyMilliseconds: Double, stepID: String? = nil) {
        self.role = role
        self.provider = provider
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.costUSD = costUSD
        self.latencyMilliseconds = latencyMilliseconds
        self.stepID = stepID
    }

    /// `{"role", "provider", "model", "usage": {"input_tokens", "output_tokens", "cached_input_tokens"} | null,
    /// "cost_usd": number | null, "latency_ms", "step"?}`.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "role": .string(role.rawValue), "provider": .string(provider), "model": .string(model),
            "cost_usd": costUSD.map(JSONValue.number) ?? .null,
            "latency_ms": .number((latencyMilliseconds * 1000).rounded() / 1000),
        ]
        if let inputTokens, let outputTokens {
            object["usage"] = ["input_tokens": .number(Double(inputTokens)), "output_tokens": .number(Double(outputTokens)),
                               "cached_input_tokens": .number(Double(cachedInputTokens ?? 0))]
        } else {
            object["usage"] = .null
        }
        if let stepID { object["step"] = .string(stepID) }
        return .object(object)
    }
}
