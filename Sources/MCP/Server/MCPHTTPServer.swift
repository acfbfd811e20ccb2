import Cassettes
import Foundation
import OrchJSON
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves an `MCPServerCore` over Streamable HTTP on 127.0.0.1 (POSIX sockets, a thread per
/// connection, one request per connection). POST carries one message; answers are JSON.
/// Session era: `initialize` opens a session (`Mcp-Session-Id`), later requests must carry it
/// (missing: 400, unknown: 404), DELETE ends it. Stateless requests (`_meta` or
/// `MCP-Protocol-Version: 2026-07-28`) need no session. GET (a server-to-client stream) is 405.
/// A request from a web page of another origin is refused (403).
public final class MCPHTTPServer: Sendable {
    public let port: UInt16
    private let listener: Int32
    private let core: MCPServerCore
    private let sessions = Mutex<Set<String>>([])

    /// Listens on 127.0.0.1:`port` (0 picks a free port; read it from `port`).
    public init(core: MCPServerCore, port: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MCPError(.configuration, "cannot open a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw MCPError(.configuration, "cannot listen on 127.0.0.1:\(port): \(reason)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.listener = fd
        self.port = UInt16(bigEndian: address.sin_port)
        self.core = core
    }

    /// Accepts connections until `stop` is called or the task is cancelled.
    public func serve() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread { [self] in
                    while true {
                        let client = accept(listener, nil, nil)
                        if client < 0 { if errno == EINTR { continue }; break }
                        Thread.detachNewThread { [self] in handle(client); close(client) }
                    }
                    done.resume()
                }
            }
        } onCancel: {
            stop()
        }
    }

    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func handle(_ fd: Int32) {
        guard let request = HTTPSocketIO.readRequest(fd) else { return }
        let response = blocking { await self.respond(to: request) }
        HTTPWire.write(fd, response)
    }

    private func respond(to request: HTTPWire.Request) async -> HTTPWire.Response {
        if let origin = request.headers["origin"], !Self.isLocal(origin) {
            return .text(403, "Forbidden: requests from origin \(origin) are refused")
        }
        switch request.method {
        case "DELETE":
            guard let id = request.headers["mcp-session-id"], sessions.withLock({ $0.remove(id) }) != nil else {
                return .text(404, "No such session")
            }
            return HTTPWire.Response(status: 200)
        case "POST":
            break
        default:
            return .text(405, "Method Not Allowed: this server answers POST (and DELETE to end a session)")
        }
        guard let json = try? JSONValue(parsing: request.body), let message = RPCMessage(json: json) else {
            return .json(400, RPCMessage.error(id: nil, RPCErrorObject(code: RPCErrorObject.parseError, message: "Parse error: the body is not one JSON-RPC message")))
        }
        let headerVersion = request.headers["mcp-protocol-version"]
        let stateless = message.json["params"]?["_meta"]?[MCPProtocol.protocolVersionKey] != nil
            || headerVersion.map(MCPProtocol.isStateless) == true
        var newSession: String?
        if !stateless {
            if message.method == InitializeMethod.name {
                newSession = UUID().uuidString.lowercased()
                sessions.withLock { _ = $0.insert(newSession!) }
            } else {
                guard let id = request.headers["mcp-session-id"] else {
                    return .json(400, RPCMessage.error(id: nil, RPCErrorObject(code: RPCErrorObject.invalidRequest, message: "Bad Request: missing Mcp-Session-Id (send initialize first)")))
                }
                guard sessions.withLock({ $0.contains(id) }) else { return .text(404, "Session not found") }
            }
        }
        guard let answer = await core.answer(message) else { return HTTPWire.Response(status: 202) }
        var status = 200
        if case .error(_, let error) = answer {
            if error.code == RPCErrorObject.unsupportedProtocolVersion { status = 400 }
            if error.code == RPCErrorObject.methodNotFound, stateless { status = 404 }
        }
        var response = HTTPWire.Response.json(status, answer)
        if let newSession { response.headers["Mcp-Session-Id"] = newSession }
        return response
    }

    static func isLocal(_ origin: String) -> Bool {
        guard let host = URL(string: origin)?.host else { return false }
        return ["localhost", "127.0.0.1", "[::1]", "::1"].contains(host)
    }
}

/// Runs async work from one of the server's own threads and waits for it.
private func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let result = Mutex<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let value = await work()
        result.withLock { $0 = value }
        done.signal()
    }
    done.wait()
    return result.withLock { $0! }
}
