#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads `fd` line by line until it ends or `onLine` returns false, and says which: true when
/// `onLine` stopped it. A line comes without its `\n` (or `\r\n`); blank lines are skipped; a
/// last line without a newline still counts. Blocks: call it on a thread of its own.
func readLines(from fd: Int32, _ onLine: ([UInt8]) -> Bool) -> Bool {
    var buffer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    func deliver(_ line: ArraySlice<UInt8>) -> Bool {
        let line = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        return line.allSatisfy { $0 == 32 || $0 == 9 } || onLine(Array(line))
    }
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        if count <= 0 { break }
        buffer += chunk[..<count]
        var start = buffer.startIndex
        while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
            defer { start = newline + 1 }
            if !deliver(buffer[start..<newline]) { return true }
        }
        buffer.removeSubrange(..<start)
    }
    return !buffer.isEmpty && !deliver(buffer[...])
}
