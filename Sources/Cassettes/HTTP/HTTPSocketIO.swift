import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The server side of one HTTP/1.1 exchange on a connected socket: just enough for the
/// project's loopback servers (`orch-eval mcp serve --http` and the tests' `LoopbackHTTPServer`).
/// A request is read with its `Content-Length` body; answers are plain bytes sent whole.
public enum HTTPSocketIO {
    /// One request as it arrived: header names lowercased, the body complete.
    public struct ReceivedRequest: Sendable {
        public var method: String
        /// The request target: path and query, as sent.
        public var target: String
        public var headers: [String: String]
        public var body: Data
    }

    /// Reads one request from `fd`; nil when the peer closes early, the head is not HTTP, or
    /// the head grows past `limit` bytes (the body is cut at `limit` too).
    public static func readRequest(_ fd: Int32, limit: Int = 16 << 20) -> ReceivedRequest? {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 || buffer.count > limit { return nil }
            buffer.append(contentsOf: chunk[0..<n])
        }
        guard let end = buffer.range(of: separator) else { return nil }
        let lines = String(decoding: buffer[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(buffer[end.upperBound...])
        let length = min(Int(headers["content-length"] ?? "0") ?? 0, limit)
        while body.count < length {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            body.append(contentsOf: chunk[0..<n])
        }
        return ReceivedRequest(method: String(parts[0]), target: String(parts[1]), headers: headers, body: body)
    }

    /// Sends all of `data` on `fd`; stops quietly when the peer has gone (no SIGPIPE).
    public static func send(_ fd: Int32, _ data: Data) {
        data.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                #if os(Linux)
                let n = Foundation.send(fd, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                #else
                let n = Foundation.send(fd, buffer.baseAddress! + sent, buffer.count - sent, 0)
                #endif
                if n <= 0 { return }
                sent += n
            }
        }
    }
}
