import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
import Synchronization

/// A fresh directory under the system temp dir for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cassettes-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Fake credentials, assembled at run time so no key-shaped literal sits in the repository.
enum FakeKey {
    static var openAI: String { "sk-" + "proj-" + String(repeating: "a1B2", count: 12) }
    static var anthropic: String { "sk-" + "ant-" + String(repeating: "Z9y8", count: 12) }
    static var google: String { "AI" + "za" + String(repeating: "Q", count: 35) }
    static var azure: String { String(repeating: "0123456789abcdef", count: 2) }
    static var jwt: String {
        "ey" + "J" + String(repeating: "h", count: 20) + ".ey" + "J" + String(repeating: "p", count: 20) + "." + String(repeating: "s", count: 20)
    }
}

/// No CI, no ORCH_RECORD: tests that check a mode pass it in code and must not be
/// overridden by the developer's shell.
let hermetic: [String: String] = [:]

func request(_ url: URL, method: String = "POST", json: String? = nil, headers: HTTPHeaders = [:]) -> HTTPRequest {
    var headers = headers
    if json != nil { headers["Content-Type"] = "application/json" }
    return HTTPRequest(method: method, url: url, headers: headers, body: Data((json ?? "").utf8))
}

func parse(_ data: Data) throws -> JSONValue { try JSONValue(parsing: data) }

/// Sends requests meant for `https://api.example.test` to a loopback server it starts on
/// first use. Committed cassettes are recorded through it, so their URLs do not depend on the
/// server's port and replaying them never needs the server.
final class LazyLoopbackTransport: HTTPTransport {
    private let server = Mutex<LoopbackHTTPServer?>(nil)
    private let live = URLSessionTransport()

    /// Whether a request ever reached the network.
    var started: Bool { server.withLock { $0 != nil } }

    private func redirect(_ request: HTTPRequest) throws -> HTTPRequest {
        let base = try server.withLock { server in
            if server == nil { server = try TestRoutes.server() }
            return server!.baseURL
        }
        var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        components?.scheme = base.scheme
        components?.host = base.host
        components?.port = base.port
        var redirected = request
        redirected.url = components?.url ?? request.url
        return redirected
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse { try await live.send(redirect(request)) }
    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse { try await live.stream(redirect(request)) }

    deinit { server.withLock { $0?.stop() } }
}

let exampleAPI = URL(string: "https://api.example.test")!
