import CassetteTesting
import Foundation

/// The routes the cassette tests record from, served by a `LoopbackHTTPServer`:
/// - `/json` echoes the request (method, path, JSON body) as JSON, with volatile headers
/// - `/text`, `/binary` (20 000 bytes), `/small-binary` (300 bytes)
/// - `/sse` streams three server-sent events, chunked; `/sse-cut` breaks off after two
/// - `/slow` answers after 300 ms; `/status/429` (with Retry-After) and `/status/500`
enum TestRoutes {
    static func server() throws -> LoopbackHTTPServer { try LoopbackHTTPServer(handler: answer) }

    static let events = ["data: {\"delta\":\"Hel\"}\n\n", "data: {\"delta\":\"lo\"}\n\n", "data: [DONE]\n\n"]

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

    @Sendable static func answer(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        switch request.path {
        case "/json":
            let bodyJSON = request.body.isEmpty ? "null" : request.text
            let body = #"{"method":"\#(request.method)","path":"\#(request.path)","received":\#(bodyJSON),"id":"resp-\#(UUID().uuidString)"}"#
            return .json(body, headers: ["X-Request-Id": UUID().uuidString, "Date": Date().description,
                                         "Set-Cookie": "session=\(UUID().uuidString)"])
        case "/text":
            return .text("hello, text ✓\n")
        case "/binary":
            return .init(headers: ["Content-Type": "image/png"], body: binary(count: 20_000))
        case "/small-binary":
            return .init(headers: ["Content-Type": "application/octet-stream"], body: binary(count: 300))
        case "/sse", "/sse-cut":
            return .stream(events, cutAfter: request.path == "/sse-cut" ? 2 : nil, pause: .milliseconds(20))
        case "/slow":
            return .init(status: 200, headers: ["Content-Type": "application/json"], body: Data(#"{"slow":true}"#.utf8), pause: .milliseconds(300))
        case "/status/429":
            return .json(#"{"error":{"type":"rate_limit","message":"slow down"}}"#, status: 429, headers: ["Retry-After": "2"])
        case "/status/500":
            return .init(status: 500, headers: ["Content-Type": "text/plain"], body: Data("internal error".utf8))
        default:
            return .text("no route \(request.path)", status: 404)
        }
    }
}
