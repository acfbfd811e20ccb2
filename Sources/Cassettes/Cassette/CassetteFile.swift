import Foundation
import OrchJSON

extension Cassette {
    /// Reads the cassette at `url`, with the interactions of recordings not yet merged into it
    /// (journals beside it, of a recorder still running or killed) after its own, as replay
    /// sees it. A file that is not valid JSON (corrupted, cut short) or not a cassette gives an
    /// `.invalid` error naming the file and the place.
    public static func load(from url: URL) throws(CassetteError) -> Cassette {
        let journals = try FoundJournal.all(for: url)
        guard let first = journals.first, !FileManager.default.fileExists(atPath: url.path) else {
            var cassette = try loadFile(from: url)
            cassette.interactions += journals.flatMap(\.interactions)
            return cassette
        }
        return Cassette(metadata: first.metadata, interactions: journals.flatMap(\.interactions))
    }

    /// Reads the cassette file alone, without journals.
    static func loadFile(from url: URL) throws(CassetteError) -> Cassette {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CassetteError(.io, file: url.path, "cannot read cassette \(url.path): the file does not exist or is unreadable")
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: data)
        } catch {
            throw CassetteError(.invalid, file: url.path,
                                "cassette \(url.path) is not valid JSON (\(error)); it may be truncated or corrupted: restore it from git or re-record it (ORCH_RECORD=all)")
        }
        return try Cassette(json: json, file: url.path)
    }

    /// Scans the cassette and its new side files (SHA-256 hex → bytes) for secrets, then
    /// writes the side files to `blobs/` next to it and the cassette atomically (temporary
    /// file + rename, both flushed to disk). Nothing is written if the scan finds anything.
    /// This replaces the file: to add to a cassette other processes may record into, record
    /// through a `CassetteTransport`, which merges.
    public func save(to url: URL, scanner: SecretScanner = SecretScanner(), sideFiles: [String: Data] = [:]) throws(CassetteError) {
        try save(to: url, scanner: scanner, sideFiles: sideFiles, beforeRename: {})
    }

    func save(to url: URL, scanner: SecretScanner, sideFiles: [String: Data] = [:], beforeRename: () throws -> Void) throws(CassetteError) {
        let document = jsonValue()
        try Self.refuseSecrets(scanner.scan(document, sideFiles: sideFiles), writing: url)
        var data = document.serializedData(.pretty)
        data.append(0x0A)
        do throws(SharedFileError) {
            // Side files first: a cassette on disk never refers to one that is not there yet.
            try BlobStore(nextTo: url).write(sideFiles)
            try AtomicFile.write(data, to: url, beforeRename: beforeRename)
        } catch {
            throw CassetteError(.io, file: url.path, "cannot write cassette \(url.path): \(error.message)")
        }
    }

    /// Throws `.secretFound` listing `findings` (the first ten), if there are any.
    static func refuseSecrets(_ findings: [SecretScanner.Finding], writing url: URL) throws(CassetteError) {
        guard !findings.isEmpty else { return }
        let list = findings.prefix(10).map { "  - \($0.path): looks like \($0.kind)" }.joined(separator: "\n")
        throw CassetteError(.secretFound, file: url.path, """
            refusing to write cassette \(url.path): it still holds what looks like a credential:
            \(list)
            Add the header, query parameter or JSON body path to the cassette's redaction settings.
            """)
    }
}
