import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Just enough HTTP/1.1 for `MCPHTTPServer`: read one request (headers and a
/// `Content-Length` body), write one response and close.
enum HTTPWire {
    struct Request {
        var method: String
        var target: String
        var headers: [String: String]
        var body: Data
    }

    struct Response {
        var status: Int
        var headers: [String: String] = [:]
        var body = Data()

        static func text(_ status: Int, _ text: String) -> Response {
            Response(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Data(text.utf8))
        }

        static func json(_ status: Int, _ message: RPCMessage) -> Response {
            Response(status: status, headers: ["Content-Type": "application/json"], body: message.json.serializedData())
        }
    }

    static let reasons = [200: "OK", 202: "Accepted", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed"]

    static func readRequest(_ fd: Int32, limit: Int = 16 << 20) -> Request? {
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
        return Request(method: String(parts[0]), target: String(parts[1]), headers: headers, body: body)
    }

    static func write(_ fd: Int32, _ response: Response) {
        var head = "HTTP/1.1 \(response.status) \(reasons[response.status] ?? "Status")\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        let data = Data(head.utf8) + response.body
        data.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let n = send(fd, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                sent += n
            }
        }
    }
}
