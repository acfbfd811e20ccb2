/// Everything a report is computed from. `Report.build` is a pure function of it.
public struct ReportInput: Sendable {
    public var suite: String
    public var configurations: [Configuration]
    /// Configurations that could not run, with the reason.
    public var unavailable: [String: String]
    public var headline: Headline
    public var thresholds: Thresholds
    public var prices: PriceSheet
    public var results: [CaseResult]
    public var shard: String?
    public var wallClockMs: Double

    public init(suite: String, configurations: [Configuration], unavailable: [String: String] = [:], headline: Headline = Headline(),
                thresholds: Thresholds = Thresholds(), prices: PriceSheet = PriceSheet(), results: [CaseResult],
                shard: String? = nil, wallClockMs: Double = 0) {
        self.suite = suite
        self.configurations = configurations
        self.unavailable = unavailable
        self.headline = headline
        self.thresholds = thresholds
        self.prices = prices
        self.results = results
        self.shard = shard
        self.wallClockMs = wallClockMs
    }
}

extension Report {
    /// The metrics every configuration reports, in display order.
    public static let metricNames = ["quality", "success", "plan_valid", "node_f1", "edge_f1", "argument_f1", "exact",
                                     "cost_usd", "virtual_ms", "wall_ms"]
    /// The metrics paired comparisons and `compare --paired` look at.
    public static let pairedMetricNames = ["quality", "cost_usd", "virtual_ms"]

    /// The report of `input`: costs under its prices, limits evaluated, statistics computed.
    public static func build(_ input: ReportInput) -> Report {
        let order = Dictionary(input.configurations.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let sorted = input.results.sorted {
            (order[$0.configuration] ?? .max, $0.configuration, $0.caseID, $0.trial) < (order[$1.configuration] ?? .max, $1.configuration, $1.caseID, $1.trial)
        }
        let cases = sorted.map { result in caseReport(result, prices: input.prices) }
        let summaries = input.configurations.map { configuration in
            summary(configuration, unavailable: input.unavailable[configuration.name], cases: cases.filter { $0.result.configuration == configuration.name })
        }
        var pairs: [PairedComparison] = []
        for (i, first) in input.configurations.enumerated() {
            for second in input.configurations.dropFirst(i + 1) {
                if let pair = paired(first.name, second.name, cases) { pairs.append(pair) }
            }
        }
        return Report(formatVersion: formatVersion, suite: input.suite, shard: input.shard, wallClockMs: input.wallClockMs,
                      prices: input.prices, thresholds: input.thresholds, configurations: summaries,
                      headline: headline(input.headline, cases, summaries), pairs: pairs, cases: cases)
    }

    /// The input this report was built from, for `merge` and `reprice`.
    public var input: ReportInput {
        ReportInput(suite: suite, configurations: configurations.map(\.configuration),
                    unavailable: Dictionary(configurations.compactMap { s in s.unavailable.map { (s.configuration.name, $0) } }, uniquingKeysWith: { a, _ in a }),
                    headline: Headline(baseline: headline.baseline, candidate: headline.candidate),
                    thresholds: thresholds, prices: prices, results: cases.map(\.result), shard: shard, wallClockMs: wallClockMs)
    }

    static func caseReport(_ result: CaseResult, prices: PriceSheet) -> CaseReport {
        let cost = CostBreakdown(usage: result.usage, prices: prices)
        let limits = result.limits.map { limit -> AssertionOutcome in
            let actual = switch limit.measure {
            case .costUSD: cost.totalUSD
            case .virtualMs: result.virtualMs
            case .wallMs: result.wallMs
            }
            let passed = actual <= limit.maximum
            return AssertionOutcome(name: limit.name, kind: limit.measure.rawValue, passed: passed, score: passed ? 1 : 0,
                                    expected: .number(limit.maximum), actual: .number(actual),
                                    message: passed ? "" : "\(limit.measure.rawValue) \(actual) exceeds the limit \(limit.maximum)")
        }
        let passed = result.status == .succeeded && result.assertions.allSatisfy(\.passed) && limits.allSatisfy(\.passed)
        return CaseReport(result: result, cost: cost, limits: limits, passed: passed)
    }

    /// Per case (trials averaged), the value of `metric`.
    static func perCase(_ cases: [CaseReport], _ metric: String) -> [String: Double] {
        var sums: [String: (Double, Int)] = [:]
        for c in cases {
            let value = metricValue(c, metric)
            let (sum, n) = sums[c.result.caseID] ?? (0, 0)
            sums[c.result.caseID] = (sum + value, n + 1)
        }
        return sums.mapValues { $0.0 / Double($0.1) }
    }

    static func metricValue(_ c: CaseReport, _ metric: String) -> Double {
        let r = c.result
        switch metric {
        case "quality": return r.quality
        case "success": return r.status == .succeeded ? 1 : 0
        case "plan_valid": return r.plan?.valid == true ? 1 : 0
        case "node_f1": return r.plan?.nodeF1 ?? 0
        case "edge_f1": return r.plan?.edgeF1 ?? 0
        case "argument_f1": return r.plan?.argumentF1 ?? 0
        case "exact": return r.plan?.exact == true ? 1 : 0
        case "cost_usd": return c.cost.totalUSD
        case "virtual_ms": return r.virtualMs
        default: return r.wallMs
        }
    }

    static func origin(_ cases: [CaseReport]) -> String {
        Set(cases.map(\.result.origin)).sorted().map(\.rawValue).joined(separator: "+")
    }

    static func summary(_ configuration: Configuration, unavailable: String?, cases: [CaseReport]) -> ConfigurationSummary {
        var metrics: [String: Estimate] = [:]
        for metric in metricNames {
            let values = perCase(cases, metric).sorted { $0.key < $1.key }.map(\.value)
            metrics[metric] = Bootstrap.mean(values)
        }
        func meanCost(_ part: (CostBreakdown) -> [String: Double]) -> [String: Double] {
            guard !cases.isEmpty else { return [:] }
            var sums: [String: Double] = [:]
            for c in cases { sums.merge(part(c.cost), uniquingKeysWith: +) }
            return sums.mapValues { $0 / Double(cases.count) }
        }
        return ConfigurationSummary(configuration: configuration, unavailable: unavailable, runs: cases.count,
                                    succeeded: cases.count { $0.result.status == .succeeded },
                                    failed: cases.count { $0.result.status == .failed },
                                    errors: cases.count { $0.result.status == .error },
                                    metrics: metrics, origin: origin(cases), costByRole: meanCost(\.byRole), costByModel: meanCost(\.byModel),
                                    unpriced: Array(Set(cases.flatMap(\.cost.unpriced))).sorted())
    }

    /// Values of `metric` for the cases both configurations ran, in case order.
    static func pairedValues(_ first: String, _ second: String, _ cases: [CaseReport], _ metric: String) -> ([Double], [Double]) {
        let a = perCase(cases.filter { $0.result.configuration == first }, metric)
        let b = perCase(cases.filter { $0.result.configuration == second }, metric)
        let shared = Set(a.keys).intersection(b.keys).sorted()
        return (shared.map { a[$0]! }, shared.map { b[$0]! })
    }

    static func paired(_ first: String, _ second: String, _ cases: [CaseReport]) -> PairedComparison? {
        var differences: [String: Estimate] = [:]
        for metric in pairedMetricNames {
            let (a, b) = pairedValues(first, second, cases, metric)
            if let estimate = Bootstrap.mean(zip(b, a).map { $0 - $1 }) { differences[metric] = estimate }
        }
        guard !differences.isEmpty else { return nil }
        let involved = cases.filter { $0.result.configuration == first || $0.result.configuration == second }
        return PairedComparison(first: first, second: second, differences: differences, origin: origin(involved))
    }

    static func headline(_ names: Headline, _ cases: [CaseReport], _ summaries: [ConfigurationSummary]) -> HeadlineComparison {
        var headline = HeadlineComparison(baseline: names.baseline, candidate: names.candidate)
        for name in [names.baseline, names.candidate] {
            guard let summary = summaries.first(where: { $0.configuration.name == name }) else {
                headline.unavailable = "configuration '\(name)' is not in this report"
                return headline
            }
            if summary.runs == 0 {
                headline.unavailable = "configuration '\(name)' has no results" + (summary.unavailable.map { " (\($0))" } ?? "")
                return headline
            }
        }
        let (baseCost, candidateCost) = pairedValues(names.baseline, names.candidate, cases, "cost_usd")
        guard !baseCost.isEmpty else {
            headline.unavailable = "'\(names.baseline)' and '\(names.candidate)' share no cases"
            return headline
        }
        let (baseLatency, candidateLatency) = pairedValues(names.baseline, names.candidate, cases, "virtual_ms")
        let (baseQuality, candidateQuality) = pairedValues(names.baseline, names.candidate, cases, "quality")
        headline.costRatio = Bootstrap.ratio(candidateCost, baseCost)
        headline.latencyRatio = Bootstrap.ratio(candidateLatency, baseLatency)
        headline.qualityDifference = Bootstrap.mean(zip(candidateQuality, baseQuality).map { $0 - $1 })
        headline.origin = origin(cases.filter { [names.baseline, names.candidate].contains($0.result.configuration) })
        return headline
    }
}
