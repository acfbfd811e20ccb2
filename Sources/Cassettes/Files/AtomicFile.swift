import Foundation

/// Writes files so that a reader sees the old content or the new, never half of one: the
/// bytes go to one temporary file in the target's folder, are flushed to disk, and the file
/// is renamed over the target; the folder is flushed too, so the rename survives power loss.
/// The temporary file is removed on every failure; one left by a killed process carries its
/// process id in its name (`.NAME.PID.RANDOM.tmp`), and `removeLeftovers(in:)` deletes it.
enum AtomicFile {
    /// `beforeRename` runs between the two steps; tests use it to stand for a crash there.
    static func write(_ data: Data, to url: URL, beforeRename: () throws -> Void = {}) throws(SharedFileError) {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SharedFileError(file: url.path, "cannot create the folder \(directory.path): \(error.localizedDescription)")
        }
        let temporary = directory.appendingPathComponent(temporaryName(for: url.lastPathComponent))
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw SharedFileError(file: url.path, "cannot write \(temporary.path): \(String(cString: strerror(errno))); check that \(directory.path) is writable")
        }
        do throws(SharedFileError) {
            defer { close(fd) }
            try writeAll(data, to: fd, path: temporary.path)
            guard fsync(fd) == 0 else { throw SharedFileError(file: url.path, "cannot flush \(temporary.path) to disk: \(String(cString: strerror(errno)))") }
            do {
                try beforeRename()
            } catch {
                throw SharedFileError(file: url.path, "cannot write \(url.path): \(error)")
            }
            guard rename(temporary.path, url.path) == 0 else {
                throw SharedFileError(file: url.path, "cannot replace \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
        syncDirectory(directory)
    }

    /// Writes every byte of `data` to `fd`, resuming after short writes and signals.
    static func writeAll(_ data: Data, to fd: Int32, path: String) throws(SharedFileError) {
        let failure: String? = data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return nil
        }
        if let failure { throw SharedFileError(file: path, "cannot write \(path): \(failure)") }
    }

    /// Flushes a folder's entries (a rename, a new or removed file) to disk. Best effort: some
    /// file systems refuse `fsync` on a folder, and the data itself is already flushed.
    static func syncDirectory(_ directory: URL) {
        let fd = open(directory.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    static let temporarySuffix = ".tmp"

    static func temporaryName(for name: String) -> String {
        ".\(name).\(LocalProcess.id).\(UInt32.random(in: 0...UInt32.max))\(temporarySuffix)"
    }

    /// The process id in the name of a file this type (or a journal) leaves, or nil when `name`
    /// is not of the form `.NAME.PID.NUMBER<suffix>`.
    static func writerID(inName name: String, suffix: String) -> Int32? {
        guard name.hasPrefix("."), name.hasSuffix(suffix) else { return nil }
        let parts = name.dropLast(suffix.count).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 4, UInt32(parts[parts.count - 1]) != nil else { return nil }
        return Int32(parts[parts.count - 2])
    }

    /// Deletes temporary files in `directory` left by processes that are no longer running.
    static func removeLeftovers(in directory: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names {
            guard let pid = writerID(inName: name, suffix: temporarySuffix), !LocalProcess.isRunning(pid) else { continue }
            unlink(directory.appendingPathComponent(name).path)
        }
    }
}
