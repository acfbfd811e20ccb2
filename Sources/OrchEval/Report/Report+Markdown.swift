import Foundation
import OrchJSON

extension Report {
    /// The report as GitHub-flavoured Markdown: summary per configuration, the headline, paired
    /// differences, worst cases and failures with their assertion diffs. `chart` is the file
    /// name of the cost-quality SVG written beside it.
    public func markdown(chart: String = "cost-quality.svg") -> String {
        var text = "# Evaluation report: \(suite)\n\n"
        if let shard { text += "Shard \(shard) of the suite.\n\n" }
        text += "Figures marked *synthetic* rest on generated cassettes, not on measurements of a real model; *none* means no model exchange took part.\n\n"
        text += summaryTable() + "\n"
        text += headlineSection() + "\n"
        text += ledgerSection()
        text += pairsSection()
        text += "![cost against quality](\(chart))\n\n"
        text += worstCases()
        text += failures()
        return text
    }

    private func summaryTable() -> String {
        var text = "## Configurations\n\n| configuration | planner | workers | runs | ok / failed / error | quality | plan node F1 | edge F1 | argument F1 | cost per case (USD) | virtual latency (ms) | cassettes |\n"
        text += "| --- | --- | --- | ---: | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        for s in configurations {
            let c = s.configuration
            if let reason = s.unavailable {
                text += "| \(c.name) | \(c.planner) | \(c.workers) | 0 | not run: \(escape(reason)) | | | | | | | |\n"
                continue
            }
            func m(_ name: String, _ digits: Int = 3) -> String { s.metrics[name].map { Self.format($0, digits) } ?? "–" }
            text += "| \(c.name) | \(c.planner) | \(c.workers) | \(s.runs) | \(s.succeeded) / \(s.failed) / \(s.errors) | \(m("quality")) | \(m("node_f1")) | \(m("edge_f1")) | \(m("argument_f1")) | \(m("cost_usd", 6)) | \(m("virtual_ms", 0)) | \(s.origin) |\n"
        }
        let priced = configurations.filter { !$0.costByModel.isEmpty }
        if !priced.isEmpty {
            text += "\nMean cost per case run (USD) by role and model:\n\n| configuration | planner | worker | synthesis | by model |\n| --- | --- | --- | --- | --- |\n"
            for s in priced {
                func role(_ name: String) -> String { s.costByRole[name].map { String(format: "%.6f", $0) } ?? "–" }
                let models = s.costByModel.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.6f", $0.value))" }.joined(separator: ", ")
                text += "| \(s.configuration.name) | \(role("planner")) | \(role("worker")) | \(role("synthesis")) | \(models) |\n"
            }
        }
        let unpriced = Set(configurations.flatMap(\.unpriced)).sorted()
        if !unpriced.isEmpty { text += "\nNot in the price table (counted as free): \(unpriced.joined(separator: ", ")).\n" }
        text += "\nMeans over cases with bootstrap 95 % intervals in brackets (\(Bootstrap.resamples) resamples, fixed seed). Virtual latency is the plan's critical path over recorded exchange latencies; steps without model exchanges count 0.\n"
        return text
    }

    private func headlineSection() -> String {
        var text = "## Headline: \(headline.candidate) vs \(headline.baseline)\n\n"
        guard headline.unavailable == nil, let origin = headline.origin else {
            return text + "Not available: \(headline.unavailable ?? "no results").\n"
        }
        func cell(_ e: Estimate?, _ digits: Int) -> String { e.map { Self.format($0, digits) } ?? "not available (baseline is 0)" }
        text += "| measure | value | cassettes |\n| --- | --- | --- |\n"
        text += "| cost ratio (\(headline.candidate) / \(headline.baseline)) | \(cell(headline.costRatio, 3)) | \(origin) |\n"
        text += "| latency ratio (virtual) | \(cell(headline.latencyRatio, 3)) | \(origin) |\n"
        text += "| quality difference (\(headline.candidate) − \(headline.baseline)) | \(cell(headline.qualityDifference, 3)) | \(origin) |\n"
        return text
    }

    private func pairsSection() -> String {
        guard !pairs.isEmpty else { return "" }
        var text = "## Paired differences (second − first, per case)\n\n| first | second | quality | cost (USD) | virtual latency (ms) | cassettes |\n| --- | --- | --- | --- | --- | --- |\n"
        for p in pairs {
            func d(_ name: String, _ digits: Int) -> String { p.differences[name].map { Self.format($0, digits) } ?? "–" }
            text += "| \(p.first) | \(p.second) | \(d("quality", 3)) | \(d("cost_usd", 6)) | \(d("virtual_ms", 0)) | \(p.origin) |\n"
        }
        return text + "\n"
    }

    private func worstCases() -> String {
        let worst = cases.filter { $0.result.quality < 1 }.sorted {
            ($0.result.quality, $0.result.configuration, $0.result.caseID, $0.result.trial) < ($1.result.quality, $1.result.configuration, $1.result.caseID, $1.result.trial)
        }.prefix(10)
        guard !worst.isEmpty else { return "## Worst cases\n\nEvery case scored full quality.\n\n" }
        var text = "## Worst cases\n\n| configuration | case | quality | status |\n| --- | --- | ---: | --- |\n"
        for c in worst {
            text += "| \(c.result.configuration) | \(c.result.caseID)\(c.result.trial > 1 ? " #\(c.result.trial)" : "") | \(String(format: "%.3f", c.result.quality)) | \(c.result.status.rawValue) |\n"
        }
        return text + "\n"
    }

    private func failures() -> String {
        let failing = cases.filter { !$0.passed }
        guard !failing.isEmpty else { return "## Failures\n\nNone.\n" }
        var text = "## Failures (\(failing.count))\n\n"
        for c in failing {
            text += "### \(c.result.configuration) / \(c.result.caseID)\(c.result.trial > 1 ? " #\(c.result.trial)" : "")\n\n"
            if let error = c.result.error { text += "- status **\(c.result.status.rawValue)**: \(escape(error))\n" }
            for outcome in (c.result.assertions + c.limits) where !outcome.passed {
                text += "- `\(outcome.name)` (\(outcome.kind)): \(escape(outcome.message))\n"
                text += "  - expected: `\(Self.short(outcome.expected))`\n  - actual: `\(outcome.actual.map(Self.short) ?? "nothing")`\n"
            }
            text += "\n"
        }
        return text
    }

    static func format(_ e: Estimate, _ digits: Int) -> String {
        let f = "%.\(digits)f"
        return "\(String(format: f, e.mean)) [\(String(format: f, e.low)), \(String(format: f, e.high))]"
    }

    static func short(_ value: JSONValue) -> String {
        let text = value.serialized()
        return (text.count > 300 ? String(text.prefix(300)) + "…" : text).replacingOccurrences(of: "`", with: "'")
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
