import Foundation

/// A file that several processes may update at once (a cassette, an idempotency store, a
/// results file). Each update holds an exclusive lock on the file's folder only while it
/// merges: it reads what is on disk, merges its own new entries into that, and replaces the
/// file atomically (flushed to disk), so no writer's entries overwrite another's.
///
/// ```swift
/// let results = SharedFile(URL(fileURLWithPath: "results.json"))
/// try results.update { current in
///     var entries = try current.map(decode) ?? [:]
///     entries[caseID] = result
///     return (encode(entries), ())
/// }
/// ```
///
/// The lock is `flock` on the folder, so it also orders threads of one process, and a killed
/// holder releases it at once. It is advisory: it orders writers that use this type.
public struct SharedFile: Sendable {
    /// The file.
    public let url: URL

    public init(_ url: URL) { self.url = url }

    /// Runs `body` while holding the folder's lock. The folder must exist.
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        let directory = url.deletingLastPathComponent()
        let fd = open(directory.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SharedFileError(file: url.path, "cannot open the folder \(directory.path) to lock it: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }  // closing releases the lock
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw SharedFileError(file: url.path, "cannot lock the folder \(directory.path): \(String(cString: strerror(errno)))")
            }
        }
        return try body()
    }

    /// The file's bytes, or nil when it does not exist.
    public func read() throws(SharedFileError) -> Data? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SharedFileError(file: url.path, "cannot read \(url.path): check its permissions")
        }
        return data
    }

    /// Replaces the file atomically with `data` (one temporary file in the same folder, flushed,
    /// renamed, the folder flushed). Call it inside `withLock` when others may write too.
    public func write(_ data: Data) throws(SharedFileError) {
        try AtomicFile.write(data, to: url)
    }

    /// Locks, reads the current bytes (nil when there is no file), and writes what `merge`
    /// returns (nothing when it returns nil contents); returns `merge`'s result.
    public func update<T>(_ merge: (Data?) throws -> (contents: Data?, result: T)) throws -> T {
        try withLock {
            let (contents, result) = try merge(try read())
            if let contents { try write(contents) }
            return result
        }
    }

    /// Deletes temporary files that killed writers left in this file's folder.
    public func removeLeftovers() {
        AtomicFile.removeLeftovers(in: url.deletingLastPathComponent())
    }
}

/// A shared file could not be read, locked or written.
public struct SharedFileError: Error, Sendable, CustomStringConvertible {
    /// The file concerned.
    public var file: String
    public var message: String

    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { message }
}
