import Foundation
import Synchronization

/// The cassette files that a live `CassetteTransport` in this process may record into. Each
/// transport rewrites its file with only the interactions it holds, so two recording one file
/// at once (say two cases of a parameterized test that share a name) would lose one's work.
enum RecordingRegistry {
    private static let files = Mutex<Set<String>>([])

    /// Claims `file` for recording, or throws naming it when another transport holds it.
    static func claim(_ file: URL) throws(CassetteError) -> String {
        let path = key(file)
        let claimed = files.withLock { $0.insert(path).inserted }
        guard claimed else {
            throw CassetteError(.badConfiguration, file: path, """
                cassette \(path) is already being recorded by another CassetteTransport in this process; \
                give each its own cassette (in a parameterized test, name it after the argument: withCassette("total-\\(receipt.id)"))
                """)
        }
        return path
    }

    static func release(_ path: String) {
        _ = files.withLock { $0.remove(path) }
    }

    private static func key(_ file: URL) -> String {
        file.standardizedFileURL.deletingLastPathComponent().resolvingSymlinksInPath()
            .appendingPathComponent(file.lastPathComponent).path
    }
}
