import Foundation

extension Report {
    /// Per configuration that made model calls: mean tokens and recorded model time per case
    /// and role, the worker steps that fell back to their rules, and the mean score of each
    /// named assertion (an `item_list_f1` scores its F1), so a worker model's accuracy is read
    /// apart from the plan's.
    func ledgerSection() -> String {
        let ran = configurations.filter { $0.unavailable == nil && $0.runs > 0 }
        let runs = Dictionary(grouping: cases.map(\.result), by: \.configuration)
        var text = subsetsSection()
        let metered = ran.filter { !(runs[$0.configuration.name] ?? []).allSatisfy(\.usage.isEmpty) }
        if !metered.isEmpty {
            text += "## Model ledger (mean per case run)\n\n| configuration | role | calls | input tokens | output tokens | model time (s) | cost (USD) | worker steps fallen back to rules | cassettes |\n"
            text += "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |\n"
            for summary in metered {
                let results = runs[summary.configuration.name] ?? []
                let n = Double(max(results.count, 1))
                let fallbacks = results.reduce(0) { $0 + ($1.fallbacks?.count ?? 0) }
                let steps = results.reduce(0) { $0 + Set($1.usage.filter { $0.role == .worker }.compactMap(\.stepID)).count }
                for role in UsageRecord.Role.allCases {
                    let usage = results.flatMap(\.usage).filter { $0.role == role }
                    guard !usage.isEmpty else { continue }
                    let calls = String(format: "%.1f", Double(usage.count) / n)
                    let input = String(format: "%.0f", Double(usage.map(\.inputTokens).reduce(0, +)) / n)
                    let output = String(format: "%.0f", Double(usage.map(\.outputTokens).reduce(0, +)) / n)
                    let seconds = String(format: "%.1f", usage.map(\.latencyMs).reduce(0, +) / 1000 / n)
                    let cost = summary.costByRole[role.rawValue].map { String(format: "%.6f", $0) } ?? "–"
                    let fell = role == .worker ? "\(fallbacks) of \(steps)" : ""
                    text += "| \(summary.configuration.name) | \(role.rawValue) | \(calls) | \(input) | \(output) | \(seconds) | \(cost) | \(fell) | \(summary.origin) |\n"
                }
            }
            text += "\nModel time is the recorded exchange latency (live: measured on the recording machine; synthetic: the latency model). Prices: \(prices.source.isEmpty ? "not stated" : prices.source).\n\n"
        }
        let meteredNames = Set(metered.map(\.configuration.name))
        let names = Array(Set(cases.filter { meteredNames.contains($0.result.configuration) }.flatMap { $0.result.assertions.map(\.name) })).sorted()
        guard !names.isEmpty else { return text }
        text += "## Assertions (mean score per case that has it, and cases run)\n\n| configuration | " + names.joined(separator: " | ") + " |\n"
        text += "| --- |" + String(repeating: " ---: |", count: names.count) + "\n"
        for summary in ran {
            let outcomes = (runs[summary.configuration.name] ?? []).flatMap(\.assertions)
            let cells = names.map { name -> String in
                let scores = outcomes.filter { $0.name == name }.map(\.score)
                return scores.isEmpty ? "–" : String(format: "%.3f (%d)", scores.reduce(0, +) / Double(scores.count), scores.count)
            }
            text += "| \(summary.configuration.name) | " + cells.joined(separator: " | ") + " |\n"
        }
        return text + "\nA case that could not run has no assertion outcomes, so it is missing here, not counted as 0 (its quality is 0).\n\n"
    }

    /// Each configuration's description and, when it covers a named subset, the cases.
    func subsetsSection() -> String {
        let described = configurations.filter { $0.configuration.description != nil || $0.configuration.cases != nil }
        guard !described.isEmpty else { return "" }
        var text = "## What each configuration is\n\n"
        for summary in described {
            let c = summary.configuration
            text += "- **\(c.name)** (\(summary.origin))" + (c.description.map { ": \($0)" } ?? "")
            if let cases = c.cases { text += "; \(cases.count) cases: \(cases.joined(separator: ", "))" }
            text += "\n"
        }
        return text + "\n"
    }
}
