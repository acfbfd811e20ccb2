import Cassettes
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for tests (POSIX sockets, one thread per connection).
/// A handler decides each answer, so one server can speak any provider's wire format:
///
/// ```swift
/// let server = try LoopbackHTTPServer { request in
///     request.path == "/v1/chat/completions" ? .json(#"{"ok":true}"#) : .text("no route", status: 404)
/// }
/// defer { server.stop() }
/// let response = try await URLSessionTransport().send(HTTPRequest(url: server.baseURL.appendingPathComponent("v1/chat/completions")))
/// ```
///
/// Every request is kept (`received`), so a test can check what a client sent field by field.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// A request as the server read it (header names lowercased).
    public typealias Request = HTTPSocketIO.ReceivedRequest

    /// An answer: a whole body, or a chunked body sent piece by piece (server-sent events).
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
        /// When set, the body is sent with chunked encoding, one piece after another.
        public var chunks: [Data]?
        /// With `chunks`: close the connection after this many pieces, without the final
        /// zero-length chunk, so the client sees a stream broken mid-way.
        public var cutAfter: Int?
        /// Pause before the answer and between chunks, so timing and streaming are observable.
        public var pause: Duration

        public init(status: Int = 200, headers: [String: String] = [:], body: Data = Data(), chunks: [Data]? = nil,
                    cutAfter: Int? = nil, pause: Duration = .zero) {
            self.status = status
            self.headers = headers
            self.body = body
            self.chunks = chunks
            self.cutAfter = cutAfter
            self.pause = pause
        }

        /// A JSON body (`Content-Type: application/json`).
        public static func json(_ text: String, status: Int = 200, headers: [String: String] = [:]) -> Response {
            Response(status: status, headers: headers.merging(["Content-Type": "application/json"]) { mine, _ in mine }, body: Data(text.utf8))
        }

        /// A plain-text body.
        public static func text(_ text: String, status: Int = 200, headers: [String: String] = [:]) -> Response {
            Response(status: status, headers: headers.merging(["Content-Type": "text/plain; charset=utf-8"]) { mine, _ in mine }, body: Data(text.utf8))
        }

        /// A chunked stream of `pieces` with the given content type (`text/event-stream` by default).
        public static func stream(_ pieces: [String], contentType: String = "text/event-stream", status: Int = 200,
                                  headers: [String: String] = [:], cutAfter: Int? = nil, pause: Duration = .milliseconds(5)) -> Response {
            Response(status: status, headers: headers.merging(["Content-Type": contentType]) { mine, _ in mine },
                     chunks: pieces.map { Data($0.utf8) }, cutAfter: cutAfter, pause: pause)
        }
    }

    public let port: UInt16
    private let listener: Int32
    private let handler: @Sendable (Request) -> Response
    private let log = Mutex<[Request]>([])
    private let stopped = Mutex(false)

    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// How many requests the server has answered.
    public var requestCount: Int { log.withLock { $0.count } }

    /// The requests received so far, in arrival order.
    public var received: [Request] { log.withLock { $0 } }

    /// Starts listening on a free port of 127.0.0.1.
    public init(handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ServerError(message: "cannot open a socket (errno \(errno))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw ServerError(message: "cannot bind/listen on 127.0.0.1 (errno \(errno))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Stops accepting connections; later requests to the port are refused.
    public func stop() {
        stopped.withLock { $0 = true }
        // Only shut down here: the accept loop closes the descriptor when it leaves. Closing it
        // here would let a new socket (another test's server) reuse the number while the loop
        // is about to call accept on it again, and steal that server's connections.
        shutdown(listener, Int32(SHUT_RDWR))
    }

    /// The server could not start.
    public struct ServerError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            if client >= 0 && stopped.withLock({ $0 }) { close(client) }
            guard client >= 0, !stopped.withLock({ $0 }) else { return }
            Thread.detachNewThread { [self] in
                handle(client)
                close(client)
            }
        }
    }

    private func handle(_ fd: Int32) {
        guard let request = HTTPSocketIO.readRequest(fd, limit: .max) else { return }
        log.withLock { $0.append(request) }
        let response = handler(request)
        Self.pause(response.pause)
        if let chunks = response.chunks {
            sendChunked(fd, response, chunks)
        } else {
            var head = statusLine(response.status)
            for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
            write(fd, Data(head.utf8) + response.body)
        }
    }

    private func sendChunked(_ fd: Int32, _ response: Response, _ chunks: [Data]) {
        var head = statusLine(response.status)
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        write(fd, Data(head.utf8))
        for (i, chunk) in chunks.enumerated() {
            if let cut = response.cutAfter, i == cut { return }  // break off without the terminating chunk
            if i > 0 { Self.pause(response.pause) }
            write(fd, Data((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + Data("\r\n".utf8))
        }
        write(fd, Data("0\r\n\r\n".utf8))
    }

    private func statusLine(_ status: Int) -> String {
        "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\n"
    }

    private static func pause(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        if micros > 0 { usleep(UInt32(clamping: micros)) }
    }

    private func write(_ fd: Int32, _ data: Data) { HTTPSocketIO.send(fd, data) }
}

extension HTTPSocketIO.ReceivedRequest {
    /// The target without its query.
    public var path: String { target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target }
    /// The query's `name=value` pairs (percent-decoded).
    public var query: [String: String] {
        URLComponents(string: "http://host" + target)?.queryItems?.reduce(into: [:]) { $0[$1.name] = $1.value ?? "" } ?? [:]
    }
    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
