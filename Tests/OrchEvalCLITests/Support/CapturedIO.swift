import Foundation
import Synchronization
@testable import OrchEvalCLI

/// A `CommandIO` that keeps what a command prints, for assertions.
final class CapturedIO: Sendable {
    private let buffers = Mutex((out: "", err: ""))

    var out: String { buffers.withLock { $0.out } }
    var err: String { buffers.withLock { $0.err } }

    func io(environment: [String: String] = [:]) -> CommandIO {
        CommandIO(out: { text in self.buffers.withLock { $0.out += text } },
                  err: { text in self.buffers.withLock { $0.err += text } },
                  environment: environment)
    }
}

/// A scratch directory removed when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("orch-eval-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
