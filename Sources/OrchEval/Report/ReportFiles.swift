import Foundation
import OrchJSON

/// Reading and writing reports: `report.json` (the source of truth), `report.md`,
/// `cost-quality.svg` and `junit.xml`.
public enum ReportFiles {
    public static let names = ["report.json", "report.md", "cost-quality.svg", "junit.xml"]

    /// The report as pretty JSON with sorted keys, so reports diff well and a rebuild of the
    /// same input gives the same bytes.
    /// - Throws: `EvalError.io` for a value JSON cannot hold (a NaN would be a bug upstream).
    public static func json(_ report: Report) throws(EvalError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { return try encoder.encode(report) + Data("\n".utf8) } catch {
            throw .io("the report cannot be written as JSON: \(error)")
        }
    }

    /// Writes the four files into `folder` (created when missing); returns their paths.
    @discardableResult
    public static func write(_ report: Report, to folder: URL) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let files: [(String, Data)] = [
                ("report.json", try json(report)), ("report.md", Data(report.markdown().utf8)),
                ("cost-quality.svg", Data(report.costQualitySVG.utf8)), ("junit.xml", Data(report.junit.utf8)),
            ]
            return try files.map { name, data in
                let url = folder.appendingPathComponent(name)
                try data.write(to: url, options: .atomic)
                return url
            }
        } catch let error as EvalError {
            throw error
        } catch {
            throw EvalError.io("cannot write the report into \(folder.path): \(error.localizedDescription)")
        }
    }

    /// Reads a `report.json`: its format version, then `ReportSchema`, then the values.
    /// - Throws: `EvalError.badReport`, or `EvalError.reportViolations` naming every field
    ///   that breaks the schema.
    public static func read(_ path: String) throws(EvalError) -> Report {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .badReport(file: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: data) } catch { throw .badReport(file: path, reason: "is not JSON: \(error)") }
        guard let version = json["format_version"] else { throw .badReport(file: path, reason: "not a report.json (no format_version)") }
        guard version.intValue == Report.formatVersion else {
            throw .badReport(file: path, reason: "format_version \(version.serialized()) cannot be read: this orch-eval reads format_version \(Report.formatVersion) only")
        }
        let violations = ReportSchema.compiled.violations(of: json)
        guard violations.isEmpty else { throw .reportViolations(file: path, violations: violations) }
        do { return try JSONDecoder().decode(Report.self, from: data) } catch {
            throw .badReport(file: path, reason: "does not match the report format: \(error)")
        }
    }
}

extension Report {
    /// This report's costs recomputed under `prices`, limits and statistics included; nothing runs.
    public func repriced(with prices: PriceSheet) -> Report {
        var input = self.input
        input.prices = prices
        return Report.build(input)
    }

    /// Joins shard reports into the report of the whole run: the same as an unsharded run
    /// apart from `wallClockMs` (the shards' sum). The reports must come from the same suite
    /// and prices; a case reported twice keeps its first result.
    public static func merge(_ reports: [Report]) throws(EvalError) -> Report {
        guard var input = reports.first?.input else { throw .badReport(file: "(none)", reason: "merge needs at least one report") }
        var seen = Set(input.results.map(\.key))
        for report in reports.dropFirst() {
            guard report.suite == input.suite else {
                throw .badReport(file: "shard \(report.shard ?? "?")", reason: "is from suite '\(report.suite)', not '\(input.suite)'")
            }
            guard report.prices == input.prices else {
                throw .badReport(file: "shard \(report.shard ?? "?")", reason: "uses another price table; reprice the shards alike first")
            }
            for configuration in report.input.configurations where !input.configurations.contains(where: { $0.name == configuration.name }) {
                input.configurations.append(configuration)
            }
            input.unavailable.merge(report.input.unavailable) { a, _ in a }
            for result in report.input.results where seen.insert(result.key).inserted { input.results.append(result) }
            input.wallClockMs += report.wallClockMs
        }
        input.shard = nil
        return build(input)
    }
}
