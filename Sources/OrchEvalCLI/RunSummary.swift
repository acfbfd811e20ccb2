import Foundation
import Orchestrator
import OrchJSON

/// The readable form of a run result that `orch-eval exec` prints without `--json`.
enum RunSummary {
    static func text(of result: RunResult) -> String {
        let counts = Dictionary(grouping: result.steps, by: \.status).mapValues(\.count)
        let tally = [StepStatus.succeeded, .failed, .skipped, .cancelled].compactMap { status in
            counts[status].map { "\($0) \(status.rawValue)" }
        }.joined(separator: ", ")
        var lines = ["Plan \(result.requestID): \(result.status.rawValue) in \(milliseconds(result.endedAt.timeIntervalSince(result.startedAt))) (\(result.steps.count) step\(result.steps.count == 1 ? "" : "s"): \(tally))"]
        let idWidth = min(24, result.steps.map(\.id.count).max() ?? 0)
        let toolWidth = min(22, result.steps.map(\.tool.count).max() ?? 0)
        for step in result.steps {
            let mark = mark(step.status)
            let time = step.duration.map(milliseconds) ?? "-"
            // A failure's message already says how many attempts it took.
            let retries = step.attempts > 1 && step.error == nil ? " (\(step.attempts) attempts)" : ""
            let reused = step.reusedKey.map { " (reused '\($0)')" } ?? ""
            let detail = step.error.map { "\($0)" } ?? step.output.map { abbreviated($0.serialized()) } ?? ""
            lines.append("  \(mark) \(pad(step.id, idWidth))  \(pad(step.tool, toolWidth))  \(pad(time, 8))  \(detail)\(retries)\(reused)")
        }
        if let usage = usageLine(result.allModelCalls) { lines.append(usage) }
        if let synthesis = result.synthesis {
            lines += ["", "Synthesis:", synthesis]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `Models: 3 calls (planner 1, worker 2), 812 input + 240 output tokens, $0.0021, 14.20 s`;
    /// nil when no model was called. Unknown usage or cost is said, never shown as zero.
    static func usageLine(_ calls: [ModelCall]) -> String? {
        guard !calls.isEmpty else { return nil }
        let summary = UsageSummary(calls)
        let total = summary.total
        let roles = ModelRole.allCases.compactMap { role in summary.byRole[role].map { "\(role.rawValue) \($0.calls)" } }
        var tokens = "\(total.inputTokens) input + \(total.outputTokens) output tokens"
        if total.callsWithoutUsage > 0 { tokens += " (\(total.callsWithoutUsage) call\(total.callsWithoutUsage == 1 ? "" : "s") without usage)" }
        let cost = total.callsWithoutCost == total.calls ? "cost unknown"
            : String(format: "$%.4f", total.costUSD) + (total.callsWithoutCost > 0 ? " (+ \(total.callsWithoutCost) unpriced)" : "")
        return "Models: \(total.calls) call\(total.calls == 1 ? "" : "s") (\(roles.joined(separator: ", "))), \(tokens), \(cost), \(milliseconds(total.latencyMilliseconds / 1000))"
    }

    /// `[3/7] ok   step-2 (line_item_parser) 1.4 ms`, printed on stderr as steps end.
    static func progressLine(_ step: StepRecord, ended: Int, of total: Int) -> String {
        let time = step.duration.map { " " + milliseconds($0) } ?? ""
        let error = step.error.map { ": \($0)" } ?? ""
        return "[\(ended)/\(total)] \(mark(step.status)) \(step.id) (\(step.tool))\(time)\(error)\n"
    }

    private static func mark(_ status: StepStatus) -> String {
        switch status {
        case .succeeded: "ok  "
        case .failed: "FAIL"
        case .skipped: "skip"
        case .cancelled: "stop"
        }
    }

    private static func milliseconds(_ interval: TimeInterval) -> String {
        interval < 1 ? String(format: "%.1f ms", interval * 1000) : String(format: "%.2f s", interval)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func abbreviated(_ text: String, limit: Int = 100) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
