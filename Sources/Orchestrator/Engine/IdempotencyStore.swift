import Cassettes
import Foundation
import OrchJSON
import Synchronization

/// Results stored under idempotency keys, so a step whose key already succeeded is reused,
/// never recomputed. The engine also makes steps that share a key within one run wait for
/// the first one. With a file, results carry over to later runs and are shared with other
/// processes using the same file: each result is merged into what is on disk (`SharedFile`),
/// and a key being computed is *claimed* in the file, so another process waits for its result
/// instead of computing it again. A claim by a process that is no longer running has expired.
public final class IdempotencyStore: Sendable {
    private let entries: Mutex<[String: JSONValue]>
    private let file: SharedFile?
    /// How long a step waits for a key another process is computing before it fails.
    public let claimWait: Duration

    /// A store that lives as long as the value.
    public init() {
        entries = Mutex([:])
        file = nil
        claimWait = .zero
    }

    /// A store kept in `file` (created on first write). Each stored result is merged into the
    /// file atomically and flushed to disk, so an interrupted run keeps everything that
    /// finished, and runs sharing the file keep each other's results. Temporary files left by
    /// killed writers are removed here.
    public init(file: URL, claimWait: Duration = .seconds(600)) throws(IdempotencyStoreError) {
        self.file = SharedFile(file)
        self.claimWait = claimWait
        if isDirectory(file.path) {
            throw IdempotencyStoreError(file: file.path, reason: "it is a directory; give the path of a store file")
        }
        self.file?.removeLeftovers()
        do {
            entries = Mutex(try StoreDocument(file.path, data: try SharedFile(file).read()).outputs)
        } catch let error as IdempotencyStoreError {
            throw error
        } catch {
            throw IdempotencyStoreError(file: file.path, reason: "\(error)")
        }
    }

    public func output(for key: String) -> JSONValue? {
        entries.withLock { $0[key] }
    }

    /// What `claim` found.
    enum Claim: Sendable {
        /// A result is stored (perhaps by another process meanwhile): reuse it.
        case stored(JSONValue)
        /// This process now computes the key; `save` or `release` ends the claim.
        case claimed
        /// A running process computes it now.
        case held(by: Int32, since: String)
        /// The file could not be used; the step runs without a claim.
        case unavailable(String)
        /// The holder did not finish within `claimWait`; the step fails with this message.
        case timedOut(String)
    }

    /// Claims `key` in the file, unless a result is stored or a running process holds it.
    func claim(_ key: String) -> Claim {
        guard let file else { return output(for: key).map(Claim.stored) ?? .claimed }
        do {
            return try file.update { data in
                var document = try StoreDocument(file.url.path, data: data)
                entries.withLock { $0.merge(document.outputs) { _, onDisk in onDisk } }
                if let output = document.outputs[key] { return (nil, .stored(output)) }
                if let holder = document.claims[key], LocalProcess.isRunning(holder.pid) {
                    return (nil, .held(by: holder.pid, since: holder.since))
                }
                document.claims[key] = StoreDocument.Holder(pid: LocalProcess.id, since: ISO8601DateFormatter().string(from: Date()))
                return (document.data, .claimed)
            }
        } catch {
            return .unavailable("could not claim idempotency key '\(key)' in '\(file.url.path)': \(error)")
        }
    }

    /// Waits, polling the file, until the process holding `key` stores its result, gives up
    /// its claim (then this process claims it) or is gone; fails after `claimWait`.
    func waitForResult(_ key: String, heldBy pid: Int32) async -> Claim {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: claimWait)
        var pause = Duration.milliseconds(20)
        var holder = pid
        while true {
            if Task.isCancelled { return .timedOut("cancelled while waiting for idempotency key '\(key)'") }
            let claim = claim(key)
            guard case .held(let current, _) = claim else { return claim }
            holder = current
            if clock.now >= deadline { break }
            try? await Task.sleep(for: min(pause, deadline - clock.now))
            pause = min(pause * 2, .milliseconds(500))
        }
        return .timedOut("""
            idempotency key '\(key)' is being computed by process \(holder) (store '\(file?.url.path ?? "")'); \
            waited \(claimWait.timeInterval) s for its result. If that process hangs, stop it; its claim then expires
            """)
    }

    /// Stores a result (ending this process's claim on it); returns a message when the file
    /// could not be written.
    func save(_ output: JSONValue, for key: String) -> String? {
        entries.withLock { $0[key] = output }
        return write(key) { document in
            document.outputs[key] = output
            document.claims[key] = nil
        }
    }

    /// Gives up this process's claim on `key` (the step failed or was cancelled).
    func release(_ key: String) {
        _ = write(key) { document in
            if document.claims[key]?.pid == LocalProcess.id { document.claims[key] = nil }
        }
    }

    private func write(_ key: String, _ change: (inout StoreDocument) -> Void) -> String? {
        guard let file else { return nil }
        do {
            try file.update { data in
                var document = try StoreDocument(file.url.path, data: data)
                change(&document)
                entries.withLock { $0.merge(document.outputs) { _, onDisk in onDisk } }
                return (document.data, ())
            }
            return nil
        } catch {
            return "could not write the idempotency store '\(file.url.path)': \(error)"
        }
    }
}

/// The store file: `{"format_version": 1, "entries": {KEY: {"output": …}}, "claims": {KEY: {"pid": N, "since": ISO}}}`.
struct StoreDocument {
    struct Holder {
        var pid: Int32
        var since: String
    }

    var outputs: [String: JSONValue] = [:]
    var claims: [String: Holder] = [:]

    init(_ path: String, data: Data?) throws(IdempotencyStoreError) {
        guard let data else { return }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: data)
        } catch {
            throw IdempotencyStoreError(file: path, reason: "\(error)")
        }
        guard let stored = json["entries"]?.objectValue else {
            throw IdempotencyStoreError(file: path, reason: "it has no 'entries' object; is it an idempotency store?")
        }
        outputs = stored.compactMapValues { $0["output"] }
        for (key, claim) in json["claims"]?.objectValue ?? [:] {
            guard let pid = claim["pid"]?.intValue else { continue }
            claims[key] = Holder(pid: Int32(truncatingIfNeeded: pid), since: claim["since"]?.stringValue ?? "")
        }
    }

    var data: Data {
        var document: [String: JSONValue] = ["format_version": 1, "entries": .object(outputs.mapValues { ["output": $0] })]
        if !claims.isEmpty {
            document["claims"] = .object(claims.mapValues { ["pid": .number(Double($0.pid)), "since": .string($0.since)] })
        }
        return JSONValue.object(document).serializedData(.pretty)
    }
}

/// An idempotency store file that cannot be used.
public struct IdempotencyStoreError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "cannot use the idempotency store '\(file)': \(reason). Fix or delete the file." }
}
