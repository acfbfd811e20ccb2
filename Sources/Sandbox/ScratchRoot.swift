import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder a fork server keeps its jobs' scratch directories in:
/// `<temporary directory>/orch-sandbox-<uuid>`, holding a `lock` file. The host takes an
/// exclusive `flock` on it before the server starts and hands the locked descriptor to the
/// server (as fd 3), so the lock lives exactly as long as the server does. A folder whose lock
/// is free belongs to a server that died (or a host that was killed before it could clean up),
/// and the next sandbox to start removes it.
struct ScratchRoot: Sendable {
    static let prefix = "orch-sandbox-"
    static let lockName = "lock"
    /// A lock-free folder younger than this may be one whose host is between `mkdir` and `flock`.
    static let lockGrace: TimeInterval = 10
    /// Folders without a lock file were made by a version before the lock existed, which may
    /// still be running; they are removed only once this old.
    static let unlockedGrace: TimeInterval = 24 * 3600

    let url: URL
    /// The host's locked descriptor of `lock`; pass it to the server, then `releaseHostCopy()`.
    let lockDescriptor: Int32

    /// Makes a new scratch root, mode 0711 (jobs, possibly another user, can enter their own
    /// directory but not list others), and locks it.
    static func create(in directory: URL = FileManager.default.temporaryDirectory) throws(SandboxError) -> ScratchRoot {
        let url = directory.appendingPathComponent(prefix + UUID().uuidString)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o711])
        } catch {
            throw .serverFailure("cannot create a scratch directory in \(directory.path): \(error.localizedDescription)")
        }
        let opened = open(url.appendingPathComponent(lockName).path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        // Above the server's fd 3, so that handing it over is a real dup2 (which clears close-on-exec).
        let fd = opened >= 0 ? fcntl(opened, F_DUPFD_CLOEXEC, 10) : -1
        if opened >= 0 { close(opened) }
        guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let why = String(cString: strerror(errno))
            if fd >= 0 { close(fd) }
            try? FileManager.default.removeItem(at: url)
            throw .serverFailure("cannot lock the scratch directory \(url.path): \(why)")
        }
        return ScratchRoot(url: url, lockDescriptor: fd)
    }

    /// Closes the host's copy of the lock; the server's copy keeps it held.
    func releaseHostCopy() {
        close(lockDescriptor)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Removes the scratch roots in `directory` whose server is gone, and returns them. Only
    /// folders of this user are touched; a folder whose lock is held is never removed.
    @discardableResult
    static func removeAbandoned(in directory: URL = FileManager.default.temporaryDirectory, now: Date = Date()) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var removed: [URL] = []
        for name in names where name.hasPrefix(prefix) {
            let folder = directory.appendingPathComponent(name)
            var info = stat()
            guard lstat(folder.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid() else { continue }
            if abandoned(folder, now: now) {
                try? FileManager.default.removeItem(at: folder)
                removed.append(folder)
            }
        }
        return removed
    }

    /// Runs once per process, when the first fork server starts.
    static let removeAbandonedOnce: Void = { removeAbandoned() }()

    private static func abandoned(_ folder: URL, now: Date) -> Bool {
        let lock = folder.appendingPathComponent(lockName).path
        let fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            return age(of: folder.path, now: now) > unlockedGrace
        }
        defer { close(fd) }
        // Held by a live server (or a host that is starting one): leave it.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        return age(of: lock, now: now) > lockGrace
    }

    private static func age(of path: String, now: Date) -> TimeInterval {
        guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return 0 }
        return now.timeIntervalSince(modified)
    }
}
