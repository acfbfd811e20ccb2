import Cassettes
import Foundation

/// Just enough HTTP/1.1 for `MCPHTTPServer`: one request (read by `HTTPSocketIO`), one
/// response written whole, then the connection closes.
enum HTTPWire {
    typealias Request = HTTPSocketIO.ReceivedRequest

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

    static func write(_ fd: Int32, _ response: Response) {
        var head = "HTTP/1.1 \(response.status) \(reasons[response.status] ?? "Status")\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        HTTPSocketIO.send(fd, Data(head.utf8) + response.body)
    }
}
