import Foundation

/// The results file: one `CaseResult` JSON line appended as each case ends, so an interrupted
/// run keeps what finished and `--resume` runs only the rest.
///
/// Each line is one `write` to a file opened with `O_APPEND`, which POSIX makes atomic with
/// respect to other appenders for regular files, so concurrent cases never interleave.
/// This is the one place results are written; a cross-process locked writer can replace it.
public struct ResultsLog: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// Appends `result` as one line.
    public func append(_ result: CaseResult) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(result)
        data.append(UInt8(ascii: "\n"))
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw EvalError.io("cannot open the results file \(url.path) for appending (errno \(errno))") }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else { throw EvalError.io("could not append to the results file \(url.path)") }
    }

    /// Every complete line read back; a torn last line (the run was killed mid-write) is
    /// ignored, since that case will simply run again. Later lines for the same case win.
    public func read() throws -> [CaseResult] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let data = try Data(contentsOf: url)
        let decoder = JSONDecoder()
        var byKey: [String: CaseResult] = [:]
        var order: [String] = []
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let result = try? decoder.decode(CaseResult.self, from: Data(line)) else { continue }
            if byKey.updateValue(result, forKey: result.key) == nil { order.append(result.key) }
        }
        return order.compactMap { byKey[$0] }
    }
}
