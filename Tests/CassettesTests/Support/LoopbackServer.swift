import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 (POSIX sockets, one thread per connection) that the
/// tests record from. Routes:
/// - `/json` echoes the request (method, path, query, JSON body) as JSON, with volatile headers
/// - `/text`, `/binary` (20 000 bytes), `/small-binary` (300 bytes)
/// - `/sse` streams three server-sent events, chunked; `/sse-cut` breaks off after two
/// - `/slow` answers after 300 ms; `/status/429` (with Retry-After) and `/status/500`
final class LoopbackServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let requests = Mutex(0)

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// How many requests the server has answered.
    var requestCount: Int { requests.withLock { $0 } }

    init() throws {
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ServerError.socket("socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else { close(fd); throw ServerError.socket("bind/listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Stops accepting connections; later requests to the port are refused.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    enum ServerError: Error { case socket(String) }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            Thread.detachNewThread { [self] in
                handle(client)
                close(client)
            }
        }
    }

    private func handle(_ fd: Int32) {
        guard let request = readRequest(fd) else { return }
        requests.withLock { $0 += 1 }
        let path = request.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.target
        switch path {
        case "/json":
            let bodyJSON = request.body.isEmpty ? "null" : String(decoding: request.body, as: UTF8.self)
            let body = #"{"method":"\#(request.method)","path":"\#(path)","received":\#(bodyJSON),"id":"resp-\#(UUID().uuidString)"}"#
            respond(fd, status: 200, headers: ["Content-Type": "application/json", "X-Request-Id": UUID().uuidString,
                                               "Date": Date().description, "Set-Cookie": "session=\(UUID().uuidString)"],
                    body: Data(body.utf8))
        case "/text":
            respond(fd, status: 200, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Data("hello, text ✓\n".utf8))
        case "/binary":
            respond(fd, status: 200, headers: ["Content-Type": "image/png"], body: Self.binary(count: 20_000))
        case "/small-binary":
            respond(fd, status: 200, headers: ["Content-Type": "application/octet-stream"], body: Self.binary(count: 300))
        case "/sse", "/sse-cut":
            streamEvents(fd, cut: path == "/sse-cut")
        case "/slow":
            usleep(300_000)
            respond(fd, status: 200, headers: ["Content-Type": "application/json"], body: Data(#"{"slow":true}"#.utf8))
        case "/status/429":
            respond(fd, status: 429, headers: ["Content-Type": "application/json", "Retry-After": "2"],
                    body: Data(#"{"error":{"type":"rate_limit","message":"slow down"}}"#.utf8))
        case "/status/500":
            respond(fd, status: 500, headers: ["Content-Type": "text/plain"], body: Data("internal error".utf8))
        default:
            respond(fd, status: 404, headers: ["Content-Type": "text/plain"], body: Data("no route \(path)".utf8))
        }
    }

    /// Deterministic bytes that are not UTF-8 (so they are stored as binary).
    static func binary(count: Int) -> Data {
        var state: UInt32 = 2_463_534_242
        var data = Data([0x89, 0x50, 0x4E, 0x47, 0xFF, 0xFE])
        while data.count < count {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            data.append(UInt8(truncatingIfNeeded: state))
        }
        return data
    }

    static let events = ["data: {\"delta\":\"Hel\"}\n\n", "data: {\"delta\":\"lo\"}\n\n", "data: [DONE]\n\n"]

    private func streamEvents(_ fd: Int32, cut: Bool) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        write(fd, Data(head.utf8))
        for (i, event) in Self.events.enumerated() {
            if cut && i == 2 { return }  // break off without the terminating chunk
            usleep(20_000)
            write(fd, Data((String(event.utf8.count, radix: 16) + "\r\n" + event + "\r\n").utf8))
        }
        write(fd, Data("0\r\n\r\n".utf8))
    }

    private func respond(_ fd: Int32, status: Int, headers: [String: String], body: Data) {
        var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        write(fd, Data(head.utf8) + body)
    }

    private func write(_ fd: Int32, _ data: Data) {
        data.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                #if os(Linux)
                let n = send(fd, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                #else
                let n = send(fd, buffer.baseAddress! + sent, buffer.count - sent, 0)
                #endif
                if n <= 0 { return }
                sent += n
            }
        }
    }

    private struct Request {
        var method: String
        var target: String
        var headers: [String: String]
        var body: Data
    }

    private func readRequest(_ fd: Int32) -> Request? {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
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
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            body.append(contentsOf: chunk[0..<n])
        }
        return Request(method: String(parts[0]), target: String(parts[1]), headers: headers, body: body)
    }
}
