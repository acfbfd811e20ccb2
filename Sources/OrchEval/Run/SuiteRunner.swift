import Cassettes
import Foundation
import Orchestrator
import OrchJSON

/// Runs a suite's cases × configurations with a concurrency limit and collects one
/// `CaseResult` per case, trial and configuration. A case that fails is recorded with its
/// error and the run goes on.
public struct SuiteRunner: Sendable {
    public var suite: Suite
    public var factory: any ConfigurationFactory
    public var options: RunOptions

    public init(suite: Suite, factory: any ConfigurationFactory = StandardConfigurations(), options: RunOptions = RunOptions()) {
        self.suite = suite
        self.factory = factory
        self.options = options
    }

    /// What a run produced: the results (resumed ones included) and the configurations that
    /// could not be built, with the reason.
    public struct Outcome: Sendable {
        public var results: [CaseResult]
        public var unavailable: [String: String]
        public var wallMs: Double

        /// The case runs that stopped at a request their cassette does not hold.
        public var cassetteMisses: [CaseResult] { results.filter { $0.cassetteMiss == true } }
    }

    public func run() async throws -> Outcome {
        let started = ContinuousClock.now
        var unavailable: [String: String] = [:]
        var work: [(Configuration, any CaseExecutor, SuiteCase, Int)] = []
        for configuration in selectedConfigurations() {
            let executor: any CaseExecutor
            do { executor = try factory.executor(for: configuration, suite: suite) } catch {
                if case EvalError.configurationUnavailable(_, let reason) = error {
                    unavailable[configuration.name] = reason
                } else {
                    unavailable[configuration.name] = "\(error)"
                }
                continue
            }
            for suiteCase in cases(of: configuration) {
                for trial in 1...max(1, options.repeatCount) { work.append((configuration, executor, suiteCase, trial)) }
            }
        }
        let log = options.resultsFile.map(ResultsLog.init)
        var results = options.resume ? (try log?.read() ?? []) : []
        if !options.resume, let url = options.resultsFile { try? FileManager.default.removeItem(at: url) }
        let done = Set(results.map(\.key))
        work.removeAll { done.contains("\($0.0.name)\u{1F}\($0.2.id)\u{1F}\($0.3)") }

        let total = work.count
        var finished = 0
        var pending = work[...]
        try await withThrowingTaskGroup(of: CaseResult.self) { group in
            func startNext() {
                guard let (configuration, executor, suiteCase, trial) = pending.popFirst() else { return }
                group.addTask { await runCase(suiteCase, trial: trial, configuration: configuration, executor: executor) }
            }
            for _ in 0..<max(1, options.concurrency) { startNext() }
            while let result = try await group.next() {
                try log?.append(result)
                results.append(result)
                finished += 1
                options.progress?(Self.progressLine(result, finished: finished, of: total))
                startNext()
            }
        }
        let wall = started.duration(to: .now)
        return Outcome(results: results, unavailable: unavailable, wallMs: wall.ms)
    }

    /// The configurations `options.configurations` selects, in suite order.
    public func selectedConfigurations() -> [Configuration] {
        guard let names = options.configurations else { return suite.configurations }
        return suite.configurations.filter { names.contains($0.name) }
    }

    func cases(of configuration: Configuration) -> [SuiteCase] {
        suite.cases.filter { c in
            (configuration.cases?.contains(c.id) ?? true) && (options.shard?.contains(c.id) ?? true)
        }
    }

    /// The cassette of one case: `<cassettes>/<configuration>/<case>.json`, and for trials
    /// after the first `<case>.trial-N.json`, so repeated trials are recorded apart.
    public func cassetteURL(configuration: String, caseID: String, trial: Int) -> URL {
        resolve(suite.cassetteFolder, against: options.root)
            .appendingPathComponent(configuration)
            .appendingPathComponent(trial == 1 ? "\(caseID).json" : "\(caseID).trial-\(trial).json")
    }

    func runCase(_ suiteCase: SuiteCase, trial: Int, configuration: Configuration, executor: any CaseExecutor) async -> CaseResult {
        let started = ContinuousClock.now
        var result = CaseResult(configuration: configuration.name, caseID: suiteCase.id, trial: trial, status: .error,
                                tags: suiteCase.tags, limits: suiteCase.assertions.compactMap(\.limit))
        let file = cassetteURL(configuration: configuration.name, caseID: suiteCase.id, trial: trial)
        do {
            let clock = VirtualClock()
            let transport = try CassetteTransport(file: file, mode: options.recordMode, upstream: options.upstream,
                                                  options: CassetteOptions(latency: .virtual(clock)), environment: options.environment)
            let execution = try await executor.execute(suiteCase, context: CaseContext(transport: transport, clock: clock, environment: options.environment))
            CaseScoring.score(execution, of: suiteCase, into: &result)
            try transport.close()  // a recording is merged into its file here (journal + merge)
            if FileManager.default.fileExists(atPath: file.path) {
                result.origin = transport.metadata.origin == .synthetic ? .synthetic : .live
            }
        } catch {
            result.status = .error
            result.error = "\(error)"
            if let miss = error as? CassetteError, case .miss = miss.kind { result.cassetteMiss = true }
        }
        let wall = started.duration(to: .now)
        result.wallMs = wall.ms
        return result
    }

    static func progressLine(_ result: CaseResult, finished: Int, of total: Int) -> String {
        let mark = result.status == .succeeded ? "ok" : result.status.rawValue
        let quality = String(format: "%.2f", result.quality)
        let trial = result.trial > 1 ? " trial \(result.trial)" : ""
        return "[\(finished)/\(total)] \(result.configuration) \(result.caseID)\(trial): \(mark), quality \(quality)"
            + (result.error.map { " (\($0.prefix(120)))" } ?? "") + "\n"
    }
}

extension Report {
    /// The report of a run of `suite`: its selected configurations, prices, thresholds and
    /// headline, with the outcome's results.
    public static func build(_ suite: Suite, configurations: [Configuration]? = nil, outcome: SuiteRunner.Outcome,
                             shard: Shard? = nil) -> Report {
        build(ReportInput(suite: suite.name, configurations: configurations ?? suite.configurations, unavailable: outcome.unavailable,
                          headline: suite.headline, thresholds: suite.thresholds, prices: suite.prices,
                          results: outcome.results, shard: shard?.description, wallClockMs: outcome.wallMs))
    }
}
