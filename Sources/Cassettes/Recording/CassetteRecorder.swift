import Foundation
import OrchJSON

/// The writing side of a recording `CassetteTransport`. Each recorded interaction is scanned
/// for secrets, its side files written, and appended to this recorder's journal (constant
/// time); `close()` merges the journal into the cassette under the folder's lock: what is on
/// disk now, plus this recorder's interactions, sorted. So recorders of one cassette in any
/// number of processes each keep their interactions. Re-recording (`all`) replaces the file,
/// which cannot be merged with another recording: it runs alone, and a second recorder of
/// the same cassette fails at once, naming the process that records it.
final class CassetteRecorder: @unchecked Sendable {  // used under the transport's lock
    let file: URL
    let mode: RecordMode
    private let metadata: CassetteMetadata
    private let scanner: SecretScanner
    private var journal: CassetteJournal?
    private var pending: [Interaction] = []
    /// Whether the merge replaces the file (`all`) rather than adding to it.
    private let replaces: Bool

    init(file: URL, mode: RecordMode, metadata: CassetteMetadata, scanner: SecretScanner) throws(CassetteError) {
        self.file = file
        self.mode = mode
        self.metadata = metadata
        self.scanner = scanner
        replaces = mode == .all
        journal = try Self.locked(file) { () throws(CassetteError) in
            AtomicFile.removeLeftovers(in: file.deletingLastPathComponent())
            AtomicFile.removeLeftovers(in: BlobStore(nextTo: file).directory)
            var live: [FoundJournal] = []
            for found in try FoundJournal.all(for: file) {
                if found.isLive {
                    live.append(found)
                } else {
                    try Self.merge(found.interactions, into: file, replacing: false, metadata: found.metadata, scanner: scanner)
                    unlink(found.url.path)
                }
            }
            if let other = live.first(where: { mode == .all || $0.mode == .all }) {
                let who = other.pid == LocalProcess.id ? "another CassetteTransport in this process (pid \(other.pid))" : "process \(other.pid)"
                throw CassetteError(.recordingRefused, file: file.path, """
                    cassette \(file.path) is being recorded by \(who) in mode \(other.mode.rawValue) since \(other.startedAt); \
                    re-recording (all) replaces the whole file, so it cannot run alongside another recording of it. \
                    Wait for that recording to end, or give each its own cassette (journal: \(other.url.path))
                    """)
            }
            return try CassetteJournal(for: file, mode: mode, metadata: metadata)
        }
    }

    /// The journal file while recording, for readers that must leave it out.
    var journalPath: String? { journal?.url.path }

    /// Scans `interaction` and its new side files, writes the side files, and journals it.
    func record(_ interaction: Interaction, sideFiles: [String: Data]) throws(CassetteError) {
        guard let journal else {
            throw CassetteError(.recordingRefused, file: file.path, "cassette \(file.path) was closed; open a new CassetteTransport to record more")
        }
        let document = Cassette(metadata: metadata, interactions: [interaction]).jsonValue()
        try Cassette.refuseSecrets(scanner.scan(document, sideFiles: sideFiles), writing: file)
        do {
            // Side files first: a journal never refers to one that is not there yet.
            try BlobStore(nextTo: file).write(sideFiles)
        } catch {
            throw CassetteError(.io, file: file.path, "cannot write a side file of cassette \(file.path): \(error.message)")
        }
        try journal.append(interaction)
        pending.append(interaction)
    }

    /// Merges the journal into the cassette and removes it. Recording ends here.
    func close() throws(CassetteError) {
        guard let journal else { return }
        if !pending.isEmpty {
            try Self.locked(file) { () throws(CassetteError) in
                try Self.merge(pending, into: file, replacing: replaces, metadata: metadata, scanner: scanner)
            }
        }
        journal.remove()
        self.journal = nil
        pending = []
    }

    /// Writes `new` into the cassette: after what the file holds, or instead of it. Interactions
    /// are then sorted (`ReplayState.fileOrder`). Call under the folder's lock.
    static func merge(_ new: [Interaction], into file: URL, replacing: Bool, metadata: CassetteMetadata,
                      scanner: SecretScanner) throws(CassetteError) {
        guard !new.isEmpty else { return }
        var cassette = Cassette(metadata: metadata)
        if !replacing, FileManager.default.fileExists(atPath: file.path) {
            cassette = try Cassette.loadFile(from: file)
        }
        // A recorder killed between writing the cassette and removing its journal has its
        // interactions in both; they carry measured latencies, so a repeat is that same one.
        let present = Set(cassette.interactions)
        cassette.interactions = ReplayState.fileOrder(cassette.interactions + new.filter { !present.contains($0) })
        cassette.metadata.recordedAt = ISO8601DateFormatter().string(from: Date())
        try cassette.save(to: file, scanner: scanner)
    }

    /// Runs `body` holding the lock of the cassette's folder, which it creates if needed.
    private static func locked<T>(_ file: URL, _ body: () throws(CassetteError) -> T) throws(CassetteError) -> T {
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            return try SharedFile(file).withLock { try body() }
        } catch let error as CassetteError {
            throw error
        } catch {
            throw CassetteError(.io, file: file.path, "\(error)")
        }
    }
}
