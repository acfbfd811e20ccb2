import Cassettes
import Foundation
import OrchEval

/// `orch-eval run SUITE.json`: run a suite's cases under its configurations and write the four
/// report files.
public enum RunCommand {
    static let spec = CommandSpec(
        synopsis: "orch-eval run SUITE.json [options]",
        summary: "Runs every case of a suite under its configurations (replaying cassettes) and writes\nreport.json, report.md, cost-quality.svg and junit.xml.",
        positionals: 1...1, positionalName: "the suite file",
        options: [
            .value("--out", "DIR", "Where the reports go (default: .build/orch-eval/SUITE-NAME)."),
            .value("--config", "NAME", "Run only this configuration (repeatable).", repeatable: true),
            .value("--record", "MODE", "missing: record what no cassette holds; all: re-record\neverything (default: replay only)."),
            .value("--concurrency", "N", "Cases running at once (default: 2)."),
            .value("--repeat", "N", "Trials per case and configuration (default: 1)."),
            .value("--shard", "I/N", "Run shard I of N (a stable subset of the cases); also read\nfrom JOB_COMPLETION_INDEX and JOB_COMPLETION_COUNT."),
            .value("--results", "FILE", "Append each case's result to FILE as it ends (default:\nDIR/results.jsonl)."),
            .flag("--resume", "Keep the results already in the results file; run the rest."),
            .flag("--quiet", "No progress lines on stderr."),
        ],
        footer: """
            Model configurations replay their cassettes without keys; --record asks the providers
            (their keys and URLs: docs/providers.md; local servers: the configuration's environment).

            Exit codes: 0 the suite ran (failing cases are in the report), 1 a case found no
            recording in its cassette (stale: re-record it), a configuration cannot run in this
            build or a file could not be written, 2 unusable suite or command line.
            """)

    struct Options {
        var suitePath: String
        var out: String?
        var run = RunOptions()
        var quiet: Bool

        init(_ arguments: ParsedArguments, environment: [String: String]) throws(UsageError) {
            suitePath = arguments.positionals[0]
            out = arguments.value("--out")
            quiet = arguments.flag("--quiet")
            run.environment = environment
            let configs = arguments.all("--config")
            run.configurations = configs.isEmpty ? nil : configs
            if let mode = try arguments.choice("--record", of: ["missing", "all"]) { run.recordMode = RecordMode(rawValue: mode)! }
            run.concurrency = try arguments.integer("--concurrency", in: 1...64) ?? 2
            run.repeatCount = try arguments.integer("--repeat", in: 1...1000) ?? 1
            if let text = arguments.value("--shard") {
                guard let shard = Shard(text) else { throw UsageError("--shard needs I/N with 1 ≤ I ≤ N, got '\(text)'") }
                run.shard = shard
            } else if environment["JOB_COMPLETION_INDEX"] != nil {
                guard let shard = Shard(environment: environment) else {
                    throw UsageError("JOB_COMPLETION_INDEX needs JOB_COMPLETION_COUNT, with 0 ≤ index < count")
                }
                run.shard = shard
            }
            run.resume = arguments.flag("--resume")
            run.resultsFile = arguments.value("--results").map { URL(fileURLWithPath: $0) }
        }
    }

    /// Runs the command; `factory` builds the configurations (the default, `ModelConfigurations`,
    /// runs golden + rules and every model configuration, its calls priced by Fixtures/pricing.json).
    public static func run(_ arguments: [String], io: CommandIO, factory: (any ConfigurationFactory)? = nil,
                           context: CommandContext = CommandContext()) async -> Int32 {
        var options: Options
        switch spec.parse(arguments, io: io, as: { arguments throws(UsageError) in try Options(arguments, environment: io.environment) }) {
        case .failure(let exit): return exit.code
        case .success(let parsed): options = parsed
        }
        let suite: Suite
        do { suite = try SuiteLoader.load(options.suitePath) } catch {
            io.err("Error: \(error)\n")
            return ExitStatus.usage
        }
        if let names = options.run.configurations {
            let unknown = names.filter { name in !suite.configurations.contains { $0.name == name } }
            guard unknown.isEmpty else {
                io.err("Error: --config: the suite has no configuration \(unknown.map { "'\($0)'" }.joined(separator: ", ")); it has \(suite.configurations.map(\.name).joined(separator: ", "))\n")
                return ExitStatus.usage
            }
        }
        let folder = URL(fileURLWithPath: options.out ?? ".build/orch-eval/\(suite.name)")
        if options.run.resultsFile == nil { options.run.resultsFile = folder.appendingPathComponent("results.jsonl") }
        if options.run.recordMode != .never { options.run.upstream = context.transport }
        if !options.quiet { options.run.progress = { io.err($0) } }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let models = ModelConfigurations(prices: AskOutput.priceTable(in: context.directory),
                                             placeholderKeys: options.run.recordMode == .never)
            let runner = SuiteRunner(suite: suite, factory: factory ?? models, options: options.run)
            let outcome = try await runner.run()
            let report = Report.build(suite, configurations: runner.selectedConfigurations(), outcome: outcome, shard: options.run.shard)
            for url in try ReportFiles.write(report, to: folder) { io.out("wrote \(url.path)\n") }
            for (name, reason) in outcome.unavailable.sorted(by: { $0.key < $1.key }) {
                io.err("Error: configuration '\(name)' cannot run in this build: \(reason)\n")
            }
            let misses = outcome.cassetteMisses
            if !misses.isEmpty {
                let names = misses.prefix(5).map { "\($0.configuration)/\($0.caseID)" }.joined(separator: ", ")
                io.err("Error: \(misses.count) case run\(misses.count == 1 ? "" : "s") found no recording in \(misses.count == 1 ? "its" : "their") cassette (\(names)\(misses.count > 5 ? ", …" : "")): "
                       + "the requests changed since the recording; re-record with --record missing (docs/suites.md)\n")
            }
            return outcome.unavailable.isEmpty && misses.isEmpty ? ExitStatus.success : ExitStatus.failure
        } catch {
            io.err("Error: \(error)\n")
            return ExitStatus.failure
        }
    }
}
