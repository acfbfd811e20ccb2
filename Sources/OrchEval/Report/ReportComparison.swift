/// `compare BASE NEW`: what changed per configuration, and which changes are regressions
/// beyond the thresholds. A function of two report values.
public struct ReportComparison: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var configuration: String
        public var metric: String
        public var base: Double
        public var new: Double
        /// Why this change is a regression; nil when it is within the thresholds.
        public var regression: String?
    }

    public var changes: [Change]
    /// Regressions that are not a metric change (a configuration that no longer runs).
    public var problems: [String]

    public var regressions: [String] {
        problems + changes.compactMap { change in change.regression.map { "\(change.configuration): \($0)" } }
    }

    /// Compares `new` with `base`. With `paired`, a paired per-case interval that excludes
    /// zero in the worse direction (quality down, cost or latency up) is a regression too.
    public init(base: Report, new: Report, thresholds: Thresholds, paired: Bool) {
        changes = []
        problems = []
        for old in base.configurations where old.runs > 0 {
            let name = old.configuration.name
            guard let current = new.configurations.first(where: { $0.configuration.name == name }), current.runs > 0 else {
                problems.append("\(name): ran in the base report but not in the new one")
                continue
            }
            func mean(_ s: ConfigurationSummary, _ metric: String) -> Double { s.metrics[metric]?.mean ?? 0 }
            let quality = (mean(old, "quality"), mean(current, "quality"))
            let drop = quality.0 - quality.1
            changes.append(Change(configuration: name, metric: "quality", base: quality.0, new: quality.1,
                                  regression: drop > thresholds.maxQualityDrop + 1e-12
                                      ? "quality dropped by \(Self.show(drop)) (allowed \(Self.show(thresholds.maxQualityDrop)))" : nil))
            for (metric, allowed, label) in [("cost_usd", thresholds.maxCostIncrease, "cost"), ("virtual_ms", thresholds.maxLatencyIncrease, "virtual latency")] {
                let (a, b) = (mean(old, metric), mean(current, metric))
                let increase = a > 0 ? b / a - 1 : (b > 1e-12 ? Double.infinity : 0)
                changes.append(Change(configuration: name, metric: metric, base: a, new: b,
                                      regression: increase > allowed + 1e-12
                                          ? "\(label) rose by \(increase.isFinite ? Self.percent(increase) : "from 0") (allowed \(Self.percent(allowed)))" : nil))
            }
            for metric in ["success", "node_f1", "edge_f1", "argument_f1"] {
                let (a, b) = (mean(old, metric), mean(current, metric))
                if a != b { changes.append(Change(configuration: name, metric: metric, base: a, new: b, regression: nil)) }
            }
            if paired { problems += Self.pairedRegressions(name, base, new) }
        }
    }

    private static func pairedRegressions(_ name: String, _ base: Report, _ new: Report) -> [String] {
        let cases = base.cases.filter { $0.result.configuration == name }
        let newer = new.cases.filter { $0.result.configuration == name }
        var found: [String] = []
        for (metric, worse) in [("quality", -1), ("cost_usd", 1), ("virtual_ms", 1)] {
            let a = Report.perCase(cases, metric), b = Report.perCase(newer, metric)
            let shared = Set(a.keys).intersection(b.keys).sorted()
            guard let estimate = Bootstrap.mean(shared.map { b[$0]! - a[$0]! }), estimate.sign == worse else { continue }
            found.append("\(name): paired \(metric) difference \(Report.format(estimate, 4)) excludes zero")
        }
        return found
    }

    /// The comparison as text for the terminal: one line per change, then the verdict.
    public var text: String {
        var lines = changes.map { change in
            let mark = change.regression == nil ? (change.base == change.new ? "  " : "~ ") : "✗ "
            return "\(mark)\(change.configuration) \(change.metric): \(Self.show(change.base)) → \(Self.show(change.new))"
                + (change.regression.map { "  REGRESSION: \($0)" } ?? "")
        }
        lines += problems.map { "✗ \($0)" }
        lines.append(regressions.isEmpty ? "No regression." : "\(regressions.count) regression(s).")
        return lines.joined(separator: "\n") + "\n"
    }

    static func show(_ x: Double) -> String { String(format: "%.6g", x) }
    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
}
