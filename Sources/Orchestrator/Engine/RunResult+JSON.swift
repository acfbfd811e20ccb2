import Foundation
import OrchJSON

extension RunResult {
    /// The machine form `orch-eval exec --json` prints: top-level `status`, and `steps` keyed
    /// by step id, each with `status`, `output` or `error`, `attempts` and timings, and
    /// `usage`: the model calls summed (docs/plans.md, "Model usage").
    public func json() -> JSONValue {
        var root: [String: JSONValue] = [
            "request_id": .string(requestID),
            "status": .string(status.rawValue),
            "started_at": .string(RunTimestamp.string(startedAt)),
            "ended_at": .string(RunTimestamp.string(endedAt)),
            "duration_ms": .number(Self.milliseconds(endedAt.timeIntervalSince(startedAt))),
            "steps": .object(Dictionary(uniqueKeysWithValues: steps.map { ($0.id, $0.json()) })),
            "usage": UsageSummary(allModelCalls).json,
        ]
        if !modelCalls.isEmpty { root["model_calls"] = .array(modelCalls.map(\.json)) }
        if let synthesis { root["synthesis"] = .string(synthesis) }
        if let synthesisFallback { root["synthesis_fallback"] = ["reason": .string(synthesisFallback)] }
        return .object(root)
    }

    static func milliseconds(_ interval: TimeInterval) -> Double {
        (interval * 1000 * 1000).rounded() / 1000
    }
}

extension StepRecord {
    func json() -> JSONValue {
        var object: [String: JSONValue] = [
            "tool": .string(tool),
            "status": .string(status.rawValue),
            "attempts": .number(Double(attempts)),
        ]
        if let output { object["output"] = output }
        if let error {
            var errorObject: [String: JSONValue] = ["code": .string(error.code), "message": .string(error.message)]
            if let details = error.details { errorObject["details"] = details }
            object["error"] = .object(errorObject)
        }
        if let startedAt { object["started_at"] = .string(RunTimestamp.string(startedAt)) }
        if let endedAt { object["ended_at"] = .string(RunTimestamp.string(endedAt)) }
        if let duration { object["duration_ms"] = .number(RunResult.milliseconds(duration)) }
        if let reusedKey { object["reused_idempotency_key"] = .string(reusedKey) }
        if !metadata.isEmpty { object["metadata"] = .object(metadata) }
        if !modelCalls.isEmpty { object["model_calls"] = .array(modelCalls.map(\.json)) }
        return .object(object)
    }
}
