import Cassettes
import Foundation
import OrchJSON

/// `orch-eval cassettes verify|ls`: checks and lists the cassettes in a directory.
public enum CassettesCommand {
    static let usage = """
        USAGE: orch-eval cassettes <verify|ls> [DIR] [options]

        SUBCOMMANDS:
          verify [DIR]          Check the cassettes under DIR (default: Cassettes); see
                                `orch-eval cassettes verify --help`.
          ls [DIR]              List the cassettes: interactions, origin, size, recording date.

        OPTIONS:
          -h, --help            Show this help.

        """

    static let verifySpec = CommandSpec(
        synopsis: "orch-eval cassettes verify [DIR] [options]",
        summary: """
            Checks every cassette under DIR (default: Cassettes): it parses, holds nothing that
            looks like a secret, its side files are intact, and no interaction is an exact
            duplicate; and DIR holds no other files (unmerged recording journals, temporary files
            of killed writers). Exit 1 with the list of problems.
            """,
        positionals: 0...1, positionalName: "the cassette directory",
        options: [
            .value("--usage-log", "FILE", "Also report interactions no test used, from a log written by\nrunning the tests with ORCH_CASSETTE_USAGE_LOG=FILE."),
        ])

    static let lsSpec = CommandSpec(
        synopsis: "orch-eval cassettes ls [DIR]",
        summary: "Lists the cassettes under DIR (default: Cassettes): interactions, origin, size, recording date.",
        positionals: 0...1, positionalName: "the cassette directory", options: [])

    /// Runs `cassettes` with `arguments` (after the word `cassettes`); returns the exit code.
    public static func run(_ arguments: [String], io: CommandIO) async -> Int32 {
        guard let subcommand = arguments.first else {
            io.err("Error: missing subcommand.\n\n" + usage)
            return ExitStatus.usage
        }
        if ["-h", "--help", "help"].contains(subcommand) {
            io.out(usage)
            return ExitStatus.success
        }
        guard let spec = ["verify": verifySpec, "ls": lsSpec][subcommand] else {
            io.err("Error: unknown subcommand 'cassettes \(subcommand)'.\n\n" + usage)
            return ExitStatus.usage
        }
        let parsed: ParsedArguments
        switch spec.parse(Array(arguments.dropFirst()), io: io, as: { $0 }) {
        case .failure(let exit): return exit.code
        case .success(let arguments): parsed = arguments
        }
        let directory = URL(fileURLWithPath: parsed.positionals.first ?? "Cassettes")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            io.err("Error: cassette directory '\(directory.path)' does not exist.\n")
            return ExitStatus.usage
        }
        guard isDirectory.boolValue else {
            io.err("Error: '\(directory.path)' is not a directory; give the directory that holds the cassettes.\n")
            return ExitStatus.usage
        }
        if subcommand == "ls" { return list(directory, io: io) }
        return verify(directory, usageLog: parsed.value("--usage-log").map { URL(fileURLWithPath: $0) }, io: io)
    }

    /// The cassette files under `directory`, sorted, side-file folders skipped.
    static func cassetteFiles(in directory: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        var files: [URL] = []
        for case let url as URL in enumerator {
            if url.lastPathComponent == "blobs" { enumerator.skipDescendants(); continue }
            if url.pathExtension == "json" { files.append(url.standardizedFileURL) }
        }
        return files.sorted { $0.path < $1.path }
    }

    static func verify(_ directory: URL, usageLog: URL?, io: CommandIO) -> Int32 {
        var problems: [String] = []
        var used: [String: Set<String>]?
        if let usageLog {
            guard let log = FileManager.default.contents(atPath: usageLog.path) else {
                io.err("Error: cannot read usage log '\(usageLog.path)'.\n")
                return ExitStatus.usage
            }
            used = parseUsage(log, problems: &problems, file: usageLog.path)
        }
        let files = cassetteFiles(in: directory)
        let scanner = SecretScanner()
        var interactionCount = 0
        for file in files {
            let cassette: Cassette
            do {
                cassette = try Cassette.load(from: file)
            } catch {
                problems.append(error.description)
                continue
            }
            interactionCount += cassette.interactions.count
            problems += CassetteCheck.problems(in: cassette, file: file, scanner: scanner)
            if let used {
                let seen = used[file.resolvingSymlinksInPath().path] ?? []
                for (i, interaction) in cassette.interactions.enumerated() where !seen.contains(interaction.request.digest) {
                    let url = scanner.mask(interaction.request.url)
                    problems.append("\(file.path): interaction \(i) (\(interaction.request.method) \(url)) was never used; delete it or re-record with ORCH_RECORD=all")
                }
            }
        }
        problems += CassetteCheck.unknownFiles(under: directory)
        if problems.isEmpty {
            io.out("ok: \(files.count) cassette(s), \(interactionCount) interaction(s) in \(directory.path)\n")
            return ExitStatus.success
        }
        io.out(problems.map { "problem: " + $0.replacingOccurrences(of: "\n", with: "\n  ") }.joined(separator: "\n") + "\n")
        io.err("\(problems.count) problem(s) in \(files.count) cassette(s).\n")
        return ExitStatus.failure
    }

    /// Usage log lines `{"cassette": PATH, "request": DIGEST}` grouped by cassette.
    static func parseUsage(_ data: Data, problems: inout [String], file: String) -> [String: Set<String>] {
        var used: [String: Set<String>] = [:]
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            guard let entry = try? JSONValue(parsing: String(line)), let cassette = entry["cassette"]?.stringValue,
                  let digest = entry["request"]?.stringValue else {
                problems.append("\(file): line \(n + 1) is not a usage entry")
                continue
            }
            used[URL(fileURLWithPath: cassette).resolvingSymlinksInPath().path, default: []].insert(digest)
        }
        return used
    }

    static func list(_ directory: URL, io: CommandIO) -> Int32 {
        var rows = [["CASSETTE", "INTERACTIONS", "ORIGIN", "SIZE", "RECORDED"]]
        var failed = false
        let prefix = directory.standardizedFileURL.path + "/"
        let files = cassetteFiles(in: directory)
        if files.isEmpty { io.err("No cassettes (*.json) under \(directory.path).\n") }
        for file in files {
            let name = file.path.hasPrefix(prefix) ? String(file.path.dropFirst(prefix.count)) : file.path
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
            do {
                let cassette = try Cassette.load(from: file)
                rows.append([name, "\(cassette.interactions.count)", cassette.metadata.origin.rawValue, formatSize(size),
                             cassette.metadata.recordedAt.isEmpty ? "-" : cassette.metadata.recordedAt])
            } catch {
                failed = true
                rows.append([name, "-", "unreadable", formatSize(size), "-"])
                io.err("Error: \(error.description)\n")
            }
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            io.out(cells.joined(separator: "  ") + "\n")
        }
        return failed ? ExitStatus.failure : ExitStatus.success
    }

    static func formatSize(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }
}
