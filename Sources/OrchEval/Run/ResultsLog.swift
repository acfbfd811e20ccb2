import Foundation

/// The results file: one `CaseResult` JSON line appended as each case ends, so an interrupted
/// run keeps what finished and `--resume` runs only the rest.
///
/// Each line is one `write` to a file opened with `O_APPEND`, under an exclusive `flock`, so
/// concurrent cases and other processes appending to the same file never interleave. A line
/// torn by a killed run is closed with a newline before the next append, so it costs only
/// its own case (which `--resume` runs again), never the line written after it.
public struct ResultsLog: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// Appends `result` as one line.
    public func append(_ result: CaseResult) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(result)
        data.append(UInt8(ascii: "\n"))
        let fd = open(url.path, O_RDWR | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw EvalError.io("cannot open the results file \(url.path) for appending (errno \(errno))") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw EvalError.io("cannot lock the results file \(url.path) (errno \(errno))") }
        let end = lseek(fd, 0, SEEK_END)
        var last: UInt8 = 0
        if end > 0, pread(fd, &last, 1, end - 1) == 1, last != UInt8(ascii: "\n") { data.insert(UInt8(ascii: "\n"), at: 0) }
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
