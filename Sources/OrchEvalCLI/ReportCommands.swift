import Foundation
import OrchEval
import OrchJSON
import Providers

/// `compare`, `merge` and `reprice`: functions on report values, no case runs.
public enum ReportCommands {
    static let compareSpec = CommandSpec(
        synopsis: "orch-eval compare BASE.json NEW.json [options]",
        summary: "Compares two report.json files per configuration and exits 1 on a regression beyond\nthe thresholds (defaults: the base report's suite thresholds).",
        positionals: 2...2, positionalName: "the base and the new report",
        options: [
            .value("--max-cost-increase", "X", "Allowed rise of mean cost per case (0.05 or 5%)."),
            .value("--max-quality-drop", "X", "Allowed drop of mean quality (absolute, 0…1)."),
            .value("--max-latency-increase", "X", "Allowed rise of mean virtual latency (0.1 or 10%)."),
            .flag("--paired", "Also count a paired per-case 95 % interval that excludes zero in\nthe worse direction as a regression."),
        ],
        footer: "Exit codes: 0 no regression, 1 a regression, 2 a report or the command line cannot be used.")

    static let mergeSpec = CommandSpec(
        synopsis: "orch-eval merge REPORT.json... --out DIR",
        summary: "Joins shard reports into the four report files of the whole run.",
        positionals: 1...Int.max, positionalName: "the shard reports",
        options: [.value("--out", "DIR", "Where the merged reports go (required).")])

    static let repriceSpec = CommandSpec(
        synopsis: "orch-eval reprice REPORT.json --pricing FILE --out DIR",
        summary: "Recomputes costs under another price table without running anything: a suite's\n{source, models: {\"provider/model\": {input_per_million, output_per_million, per_second}}}\nor the providers' table ({models: [{provider, model, …}], local_usd_per_second}).",
        positionals: 1...1, positionalName: "the report",
        options: [.value("--pricing", "FILE", "The price table (required)."), .value("--out", "DIR", "Where the reports go (required).")])

    public static func compare(_ arguments: [String], io: CommandIO) async -> Int32 {
        let parsed: ParsedArguments
        var overrides: (cost: Double?, quality: Double?, latency: Double?)
        switch compareSpec.parse(arguments, io: io, as: { a throws(UsageError) in
            overrides = (try a.number("--max-cost-increase", in: 0...1000), try a.number("--max-quality-drop", in: 0...1),
                         try a.number("--max-latency-increase", in: 0...1000))
            return a
        }) {
        case .failure(let exit): return exit.code
        case .success(let value): parsed = value
        }
        do {
            let base = try ReportFiles.read(parsed.positionals[0]), new = try ReportFiles.read(parsed.positionals[1])
            var thresholds = base.thresholds
            if let x = overrides.cost { thresholds.maxCostIncrease = x }
            if let x = overrides.quality { thresholds.maxQualityDrop = x }
            if let x = overrides.latency { thresholds.maxLatencyIncrease = x }
            let comparison = ReportComparison(base: base, new: new, thresholds: thresholds, paired: parsed.flag("--paired"))
            io.out(comparison.text)
            return comparison.regressions.isEmpty ? ExitStatus.success : ExitStatus.failure
        } catch {
            fail(error, io: io)
            return ExitStatus.usage
        }
    }

    public static func merge(_ arguments: [String], io: CommandIO) async -> Int32 {
        let parsed: ParsedArguments
        switch mergeSpec.parse(arguments, io: io, as: { a throws(UsageError) in
            guard a.value("--out") != nil else { throw UsageError("--out DIR is required") }
            return a
        }) {
        case .failure(let exit): return exit.code
        case .success(let value): parsed = value
        }
        let reports: [Report]
        do { reports = try parsed.positionals.map { path throws(EvalError) in try ReportFiles.read(path) } } catch {
            fail(error, io: io)
            return ExitStatus.usage
        }
        return write({ try Report.merge(reports) }, to: parsed.value("--out")!, io: io)
    }

    public static func reprice(_ arguments: [String], io: CommandIO) async -> Int32 {
        let parsed: ParsedArguments
        switch repriceSpec.parse(arguments, io: io, as: { a throws(UsageError) in
            guard a.value("--out") != nil, a.value("--pricing") != nil else { throw UsageError("--pricing FILE and --out DIR are required") }
            return a
        }) {
        case .failure(let exit): return exit.code
        case .success(let value): parsed = value
        }
        let report: Report, prices: PriceSheet
        do {
            report = try ReportFiles.read(parsed.positionals[0])
            let path = parsed.value("--pricing")!
            guard let data = FileManager.default.contents(atPath: path) else { throw EvalError.io("\(path): cannot be read") }
            if let json = try? JSONValue(parsing: data), json["models"]?.arrayValue != nil {
                // The providers' price table (Fixtures/pricing.json format), resolved for the models the report used.
                let table = try PriceTable(json: json, file: path)
                prices = PriceSheet(table, models: Set(report.cases.flatMap { $0.result.usage.map(\.model) }), source: path)
            } else {
                do { prices = try JSONDecoder().decode(PriceSheet.self, from: data) } catch {
                    throw EvalError.io("\(path): not a price table {source, models: {\"provider/model\": {input_per_million, output_per_million, per_second}}}: \(error)")
                }
            }
        } catch {
            fail(error, io: io)
            return ExitStatus.usage
        }
        return write({ report.repriced(with: prices) }, to: parsed.value("--out")!, io: io)
    }

    private static func write(_ make: () throws -> Report, to out: String, io: CommandIO) -> Int32 {
        do {
            for url in try ReportFiles.write(try make(), to: URL(fileURLWithPath: out)) { io.out("wrote \(url.path)\n") }
            return ExitStatus.success
        } catch {
            fail(error, io: io)
            return ExitStatus.failure
        }
    }

    /// `Error: ` before each line of the message, so each schema violation of a report reads
    /// as an error of its own.
    private static func fail(_ error: any Error, io: CommandIO) {
        for line in "\(error)".split(separator: "\n") { io.err("Error: \(line)\n") }
    }
}
