import Foundation
import OrchJSON
import Synchronization

/// Results stored under idempotency keys, so a step whose key already succeeded is reused,
/// never recomputed. The engine also makes steps that share a key within one run wait for
/// the first one. With a file, results carry over to later runs.
public final class IdempotencyStore: Sendable {
    private let entries: Mutex<[String: JSONValue]>
    private let file: URL?

    /// A store that lives as long as the value.
    public init() {
        entries = Mutex([:])
        file = nil
    }

    /// A store kept in `file` (created on first write). Each stored result rewrites the file
    /// atomically, so an interrupted run keeps everything that finished.
    public init(file: URL) throws(IdempotencyStoreError) {
        self.file = file
        if isDirectory(file.path) {
            throw IdempotencyStoreError(file: file.path, reason: "it is a directory; give the path of a store file")
        }
        guard FileManager.default.fileExists(atPath: file.path) else {
            entries = Mutex([:])
            return
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: try Data(contentsOf: file))
        } catch {
            throw IdempotencyStoreError(file: file.path, reason: "\(error)")
        }
        guard let stored = json["entries"]?.objectValue else {
            throw IdempotencyStoreError(file: file.path, reason: "it has no 'entries' object; is it an idempotency store?")
        }
        entries = Mutex(stored.compactMapValues { $0["output"] })
    }

    public func output(for key: String) -> JSONValue? {
        entries.withLock { $0[key] }
    }

    /// Stores a result; returns a message when the file could not be written.
    func save(_ output: JSONValue, for key: String) -> String? {
        // The file is written under the lock: runs sharing this store would otherwise race,
        // and an older snapshot written last would drop a newer result from the file.
        entries.withLock { entries in
            entries[key] = output
            guard let file else { return nil }
            let document: JSONValue = ["format_version": 1, "entries": .object(entries.mapValues { ["output": $0] })]
            do {
                try document.serializedData(.pretty).write(to: file, options: .atomic)
                return nil
            } catch {
                return "could not write the idempotency store '\(file.path)': \(error.localizedDescription)"
            }
        }
    }
}

/// An idempotency store file that cannot be used.
public struct IdempotencyStoreError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "cannot use the idempotency store '\(file)': \(reason). Fix or delete the file." }
}
