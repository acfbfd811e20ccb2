import Foundation
import OrchJSON

/// Reads a suite file (docs/suites.md): checks it against `SuiteSchema`, reads the cases
/// (inline, and from a JSONL `cases_file`, one case a line), and checks what a schema cannot:
/// unique ids, selectors that name golden steps, configurations' case lists.
public enum SuiteLoader {
    /// Loads the suite at `path`. `cases_file` and `golden_plan_file` resolve against the
    /// suite file's folder.
    public static func load(_ path: String) throws(SuiteError) -> Suite {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let json = try readJSON(path)
        var lines: [(JSONValue, String)] = []
        if let casesFile = json["cases_file"]?.stringValue {
            lines = try readJSONLines(resolve(casesFile, against: folder).path)
        }
        return try decode(json, file: path, extraCases: lines, folder: folder)
    }

    /// Reads a suite from its JSON; `extraCases` are JSONL cases with the place each came from.
    public static func decode(_ json: JSONValue, file: String, extraCases: [(JSONValue, String)] = [],
                              folder: URL = URL(fileURLWithPath: ".")) throws(SuiteError) -> Suite {
        let schema = try! JSONSchema(SuiteSchema.suite)  // a constant of this module; tests compile it
        var problems = schema.violations(of: json).map { describe($0, in: json) }
        let caseSchema = try! JSONSchema(SuiteSchema.suiteCase)
        for (line, place) in extraCases {
            problems += caseSchema.violations(of: line).map { "\(place) (case \(caseName(line))): \($0)" }
        }
        guard problems.isEmpty else { throw SuiteError(file: file, problems: problems) }

        var cases: [SuiteCase] = []
        let caseJSON = (json["cases"]?.arrayValue ?? []).enumerated().map { ($0.element, "cases[\($0.offset)]") } + extraCases
        for (value, place) in caseJSON {
            var reader = CaseReader(json: value, folder: folder)
            do throws(CaseReader.Problems) {
                cases.append(try reader.read())
            } catch {
                problems += error.problems.map { "\(place) (case \(caseName(value))): \($0)" }
            }
        }
        var seen = Set<String>()
        for c in cases where !seen.insert(c.id).inserted { problems.append("case '\(c.id)' is defined twice; case ids must be unique") }
        if cases.isEmpty && problems.isEmpty { problems.append("the suite has no cases; add 'cases' or a 'cases_file'") }

        let configurations: [Configuration] = (json["configurations"]?.arrayValue ?? []).compactMap { try? decodeValue($0) }
        var names = Set<String>()
        for configuration in configurations {
            if !names.insert(configuration.name).inserted { problems.append("configuration '\(configuration.name)' is defined twice") }
            if configuration.workers.kind != .rules && configuration.workers.model == nil {
                problems.append("configuration '\(configuration.name)': workers: kind '\(configuration.workers.kind.rawValue)' needs a 'model' {provider, model}")
            }
            // A suite file is committed; a key in it would be published.
            for name in (configuration.environment ?? [:]).keys.sorted()
            where ["KEY", "TOKEN", "SECRET", "PASSWORD"].contains(where: name.uppercased().contains) {
                problems.append("configuration '\(configuration.name)': environment: '\(name)' looks like a secret; set it in the environment or .env, never in a suite file")
            }
            for id in configuration.cases ?? [] where !seen.contains(id) {
                problems.append("configuration '\(configuration.name)': cases: no case has the id '\(id)'")
            }
        }
        guard problems.isEmpty else { throw SuiteError(file: file, problems: problems) }

        let name = json["name"]!.stringValue!
        let prices: PriceSheet = json["prices"].flatMap { try? decodeValue($0) } ?? PriceSheet()
        return Suite(name: name, description: json["description"]?.stringValue ?? "", cassetteFolder: json["cassettes"]?.stringValue,
                     configurations: configurations, cases: cases, prices: prices,
                     thresholds: json["thresholds"].flatMap { try? decodeValue($0) } ?? Thresholds(),
                     headline: json["headline"].flatMap { try? decodeValue($0) } ?? Headline())
    }

    static func readJSON(_ path: String) throws(SuiteError) -> JSONValue {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw SuiteError(file: path, problems: ["cannot be read: \(FileManager.default.fileExists(atPath: path) ? error.localizedDescription : "no such file")"])
        }
        do { return try JSONValue(parsing: data) } catch {
            throw SuiteError(file: path, problems: ["is not JSON: \(error)"])
        }
    }

    static func readJSONLines(_ path: String) throws(SuiteError) -> [(JSONValue, String)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SuiteError(file: path, problems: ["cannot be read (cases_file)"])
        }
        var values: [(JSONValue, String)] = []
        var problems: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do { values.append((try JSONValue(parsing: String(line)), "\(path):\(index + 1)")) } catch {
                problems.append("line \(index + 1) is not JSON: \(error)")
            }
        }
        guard problems.isEmpty else { throw SuiteError(file: path, problems: problems) }
        return values
    }

    /// A schema violation with `cases.3` spelt as the case's id.
    private static func describe(_ violation: SchemaViolation, in json: JSONValue) -> String {
        let segments = violation.path.split(separator: ".").map(String.init)
        if segments.count >= 2, segments[0] == "cases", let index = Int(segments[1]), let c = json["cases"]?.arrayValue?[index] {
            let field = segments.dropFirst(2).joined(separator: ".")
            return "cases[\(index)] (case \(caseName(c))): \(field.isEmpty ? "" : field + ": ")\(violation.message)"
        }
        if segments.count >= 2, segments[0] == "configurations", let index = Int(segments[1]),
           let name = json["configurations"]?.arrayValue?[index]["name"]?.stringValue {
            return "configurations[\(index)] ('\(name)'): \(segments.dropFirst(2).joined(separator: ".")): \(violation.message)"
        }
        return violation.description
    }

    private static func caseName(_ json: JSONValue) -> String {
        json["id"]?.stringValue.map { "'\($0)'" } ?? "without an id"
    }
}

/// `path` as is when absolute, else inside `folder` (which need not end in a slash, unlike
/// `URL(fileURLWithPath:relativeTo:)`, which would resolve against its parent).
func resolve(_ path: String, against folder: URL) -> URL {
    path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
}

/// Decodes a `Decodable` from a JSON value through Foundation's decoder.
func decodeValue<T: Decodable>(_ value: JSONValue, as type: T.Type = T.self) throws -> T {
    try JSONDecoder().decode(T.self, from: value.serializedData())
}
