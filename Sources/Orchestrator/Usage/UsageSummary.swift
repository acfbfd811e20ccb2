import OrchJSON

/// Model calls added up: the ledger an evaluation reads (docs/plans.md, "Model usage").
/// Tokens and cost sum over the calls that reported them; `calls_without_usage` and
/// `calls_without_cost` say how many did not, so an unknown is never read as zero.
public struct UsageTotals: Sendable, Equatable {
    public var calls = 0
    public var inputTokens = 0
    public var outputTokens = 0
    public var cachedInputTokens = 0
    public var costUSD = 0.0
    public var latencyMilliseconds = 0.0
    public var callsWithoutUsage = 0
    public var callsWithoutCost = 0

    public init() {}

    public mutating func add(_ call: ModelCall) {
        calls += 1
        latencyMilliseconds += call.latencyMilliseconds
        if let input = call.inputTokens, let output = call.outputTokens {
            inputTokens += input
            outputTokens += output
            cachedInputTokens += call.cachedInputTokens ?? 0
        } else {
            callsWithoutUsage += 1
        }
        if let cost = call.costUSD { costUSD += cost } else { callsWithoutCost += 1 }
    }

    public var json: JSONValue {
        [
            "calls": .number(Double(calls)), "input_tokens": .number(Double(inputTokens)),
            "output_tokens": .number(Double(outputTokens)), "cached_input_tokens": .number(Double(cachedInputTokens)),
            "cost_usd": .number((costUSD * 1e9).rounded() / 1e9), "latency_ms": .number((latencyMilliseconds * 1000).rounded() / 1000),
            "calls_without_usage": .number(Double(callsWithoutUsage)), "calls_without_cost": .number(Double(callsWithoutCost)),
        ]
    }
}

/// The calls of a run summed in total, per model (`provider/model`) and per role.
public struct UsageSummary: Sendable, Equatable {
    public var total = UsageTotals()
    public var byModel: [String: UsageTotals] = [:]
    public var byRole: [ModelRole: UsageTotals] = [:]

    public init(_ calls: [ModelCall]) {
        for call in calls {
            total.add(call)
            byModel["\(call.provider)/\(call.model)", default: UsageTotals()].add(call)
            byRole[call.role, default: UsageTotals()].add(call)
        }
    }

    /// `{"total": {...}, "by_model": {"provider/model": {...}}, "by_role": {"planner"|"worker"|"synthesis": {...}}}`.
    public var json: JSONValue {
        [
            "total": total.json,
            "by_model": .object(byModel.mapValues(\.json)),
            "by_role": .object(Dictionary(uniqueKeysWithValues: byRole.map { ($0.key.rawValue, $0.value.json) })),
        ]
    }
}
