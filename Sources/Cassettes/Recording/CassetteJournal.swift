import Foundation
import OrchJSON

/// The interactions one recording transport has recorded and not yet merged into its
/// cassette: `.NAME.json.PID.NUMBER.journal` beside the cassette, one JSON line per
/// interaction after a header line, each flushed to disk before the request returns.
/// Appending costs the same whatever the cassette's size; the transport merges the journal
/// into the sorted cassette when it closes. Readers of the cassette include journals (a
/// killed recorder's interactions replay), and the next recorder merges a dead one.
final class CassetteJournal: @unchecked Sendable {  // one writer: the transport, under its lock
    let url: URL
    private let fd: Int32

    static let suffix = ".journal"

    /// The cassette a journal `.NAME.PID.NUMBER.journal` belongs to: `NAME` in the same folder.
    static func cassette(ofJournal journal: URL) -> URL {
        let parts = journal.lastPathComponent.dropFirst().dropLast(suffix.count).split(separator: ".", omittingEmptySubsequences: false)
        return journal.deletingLastPathComponent().appendingPathComponent(parts.dropLast(2).joined(separator: "."))
    }

    /// Creates this process's journal for `cassette`. Call under the cassette folder's lock.
    init(for cassette: URL, mode: RecordMode, metadata: CassetteMetadata) throws(CassetteError) {
        url = cassette.deletingLastPathComponent()
            .appendingPathComponent(".\(cassette.lastPathComponent).\(LocalProcess.id).\(UInt32.random(in: 0...UInt32.max))\(Self.suffix)")
        let header: JSONValue = [
            "cassette_journal": 1, "pid": .number(Double(LocalProcess.id)), "mode": .string(mode.rawValue),
            "started_at": .string(ISO8601DateFormatter().string(from: Date())), "metadata": metadata.jsonValue,
        ]
        // Created whole, header included, so a reader never sees a journal without its header.
        do {
            try AtomicFile.write(header.serializedData() + Data([0x0A]), to: url)
        } catch {
            throw CassetteError(.io, file: cassette.path, "cannot create the recording journal \(url.path): \(error.message)")
        }
        fd = open(url.path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else {
            unlink(url.path)
            throw CassetteError(.io, file: cassette.path, "cannot open the recording journal \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    /// Adds `interaction`; it is on disk when this returns.
    func append(_ interaction: Interaction) throws(CassetteError) {
        var line = interaction.jsonValue().serializedData()
        line.append(0x0A)
        do {
            try AtomicFile.writeAll(line, to: fd, path: url.path)
        } catch {
            throw CassetteError(.io, file: url.path, "cannot append to the recording journal \(url.path): \(error.message)")
        }
        guard fsync(fd) == 0 else {
            throw CassetteError(.io, file: url.path, "cannot flush the recording journal \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Deletes the journal once its interactions are in the cassette.
    func remove() {
        unlink(url.path)
        AtomicFile.syncDirectory(url.deletingLastPathComponent())
    }
}

/// A journal found beside a cassette, as read from disk.
struct FoundJournal {
    let url: URL
    let pid: Int32
    let mode: RecordMode
    let startedAt: String
    let metadata: CassetteMetadata
    /// Complete lines only: a line cut short by a kill was never acknowledged.
    let interactions: [Interaction]

    var isLive: Bool { LocalProcess.isRunning(pid) }

    /// The journals of `cassette`, oldest first, except those at `excluding`.
    static func all(for cassette: URL, excluding: Set<String> = []) throws(CassetteError) -> [FoundJournal] {
        let directory = cassette.deletingLastPathComponent()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        let prefix = ".\(cassette.lastPathComponent)."
        var found: [FoundJournal] = []
        for name in names.sorted() where name.hasPrefix(prefix) && name.hasSuffix(CassetteJournal.suffix) {
            let url = directory.appendingPathComponent(name)
            guard !excluding.contains(url.path), let data = FileManager.default.contents(atPath: url.path) else { continue }
            found.append(try FoundJournal(url: url, data: data))
        }
        return found.sorted { $0.startedAt < $1.startedAt }
    }

    init(url: URL, data: Data) throws(CassetteError) {
        self.url = url
        let invalid = { (problem: String) in
            CassetteError(.invalid, file: url.path, "recording journal \(url.path) \(problem); delete it (its interactions are lost) or restore it")
        }
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        if data.last != 0x0A { lines.removeLast() }  // cut short by a kill: never acknowledged
        guard let first = lines.first, let header = try? JSONValue(parsing: first), header["cassette_journal"] == 1,
              let pid = header["pid"]?.intValue, let mode = header["mode"]?.stringValue.flatMap(RecordMode.init(rawValue:)) else {
            throw invalid("has no valid header line")
        }
        self.pid = Int32(truncatingIfNeeded: pid)
        self.mode = mode
        startedAt = header["started_at"]?.stringValue ?? ""
        let meta = header["metadata"] ?? [:]
        metadata = CassetteMetadata(recordedAt: "", recordedBy: meta["recorded_by"]?.stringValue ?? CassetteMetadata.defaultRecorder,
                                    origin: meta["origin"]?.stringValue.flatMap(CassetteMetadata.Origin.init(rawValue:)) ?? .live,
                                    notes: meta["notes"]?.stringValue ?? "")
        var reader = FieldReader(file: url.path)
        var interactions: [Interaction] = []
        for (i, line) in lines.dropFirst().enumerated() where !line.isEmpty {
            guard let json = try? JSONValue(parsing: line) else { throw invalid("line \(i + 2) is not JSON") }
            interactions.append(try Interaction(json: json, at: "line \(i + 2)", reader: &reader))
        }
        self.interactions = interactions
    }
}
