import Foundation
import OrchJSON

/// Results stored under idempotency keys, so a step with a key that already succeeded is
/// reused, never recomputed: within a run (two steps with one key run the tool once) and,
/// when the store has a file, across runs.
public actor IdempotencyStore {
    private var entries: [String: JSONValue] = [:]
    private var inFlight: Set<String> = []
    private var waiters: [String: [CheckedContinuation<JSONValue?, Never>]] = [:]
    private let file: URL?

    /// A store that lives as long as the value.
    public init() { file = nil }

    /// A store kept in `file` (created on first write). Each stored result rewrites the file
    /// atomically, so an interrupted run keeps everything that finished.
    public init(file: URL) throws(IdempotencyStoreError) {
        self.file = file
        guard FileManager.default.fileExists(atPath: file.path) else { return }
        do {
            let json = try JSONValue(parsing: try Data(contentsOf: file))
            guard let stored = json["entries"]?.objectValue else {
                throw IdempotencyStoreError(file: file.path, reason: "it has no 'entries' object; is it an idempotency store?")
            }
            entries = stored.compactMapValues { $0["output"] }
        } catch let error as IdempotencyStoreError {
            throw error
        } catch {
            throw IdempotencyStoreError(file: file.path, reason: "\(error)")
        }
    }

    /// The stored output for `key`, or nil when the caller should compute it and then call
    /// `settle`. While another step computes the same key, this waits for its result.
    func claim(_ key: String) async -> JSONValue? {
        if let stored = entries[key] { return stored }
        guard inFlight.contains(key) else {
            inFlight.insert(key)
            return nil
        }
        return await withCheckedContinuation { waiters[key, default: []].append($0) }
    }

    /// Ends a claim: stores a success and hands it to waiting steps, or after a failure lets
    /// the next waiting step try. Returns a message when the file could not be written.
    func settle(_ key: String, output: JSONValue?, stepID: String) -> String? {
        guard let output else {
            if var queue = waiters[key], !queue.isEmpty {
                queue.removeFirst().resume(returning: nil)
                waiters[key] = queue
            } else {
                inFlight.remove(key)
            }
            return nil
        }
        entries[key] = output
        inFlight.remove(key)
        for waiter in waiters.removeValue(forKey: key) ?? [] { waiter.resume(returning: output) }
        return persist()
    }

    public func storedOutput(for key: String) -> JSONValue? { entries[key] }

    private func persist() -> String? {
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

/// An idempotency store file that cannot be used.
public struct IdempotencyStoreError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "cannot use the idempotency store '\(file)': \(reason). Fix or delete the file." }
}
