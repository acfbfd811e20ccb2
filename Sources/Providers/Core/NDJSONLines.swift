import Foundation

/// Splits a newline-delimited JSON body (Ollama's streams), fed in arbitrary chunks, into
/// lines. Blank lines are skipped; a trailing `\r` is dropped.
///
/// ```swift
/// var lines = NDJSONLines()
/// for try await chunk in response.chunks { for line in lines.feed(chunk) { try JSONValue(parsing: line) … } }
/// if let last = lines.finish() { … }   // a final line without its newline
/// ```
public struct NDJSONLines: Sendable {
    private var buffer = Data()

    public init() {}

    /// The complete lines in `chunk` (with what was buffered before).
    public mutating func feed(_ chunk: Data) -> [Data] {
        buffer.append(chunk)
        var lines: [Data] = []
        while let newline = buffer.firstIndex(of: 0x0A) {
            var line = buffer[buffer.startIndex..<newline]
            buffer = Data(buffer[buffer.index(after: newline)...])
            if line.last == 0x0D { line = line.dropLast() }
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { lines.append(Data(line)) }
        }
        return lines
    }

    /// Ends the input: the last line if it had no newline.
    public mutating func finish() -> Data? {
        defer { buffer = Data() }
        let rest = buffer.filter { $0 != 0x0D }
        return rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }) ? nil : Data(rest)
    }
}
