import Foundation

/// Writes files so that a reader sees the old content or the new, never half of one: the
/// bytes go to a temporary file in the same directory, which is then renamed over the target.
enum AtomicFile {
    /// `beforeRename` runs between the two steps; tests use it to stand for a crash there.
    static func write(_ data: Data, to url: URL, beforeRename: () throws -> Void = {}) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
                throw CassetteError(.io, file: url.path, "cannot write \(temporary.path): check that \(directory.path) is writable")
            }
            try beforeRename()
            guard rename(temporary.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw CassetteError(.io, file: url.path, "cannot replace \(url.path): \(reason)")
            }
        } catch let error as CassetteError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw CassetteError(.io, file: url.path, "cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
