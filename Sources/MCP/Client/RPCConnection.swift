import Foundation
import OrchJSON
import Synchronization

/// The JSON-RPC half of a client connection: increasing integer ids, one waiting request per
/// id, and a reader task that routes what the server sends. Answers the server's `ping`,
/// refuses its other requests (-32601), and ignores notifications (progress, logging).
final class RPCConnection: Sendable {
    /// The server's name from the configuration, for messages.
    let name: String
    let transport: any MCPTransport

    private struct State {
        var nextID = 0
        var pending: [RPCID: AsyncStream<Result<JSONValue, MCPError>>.Continuation] = [:]
        var failure: MCPError?
        var reader: Task<Void, Never>?
        var protocolVersion: String?
    }
    private let state = Mutex(State())

    init(name: String, transport: any MCPTransport) {
        self.name = name
        self.transport = transport
    }

    func start() async throws {
        let messages = try await transport.open()
        let reader = Task { [self] in await read(messages) }
        state.withLock { $0.reader = reader }
    }

    /// The revision agreed on; sent in HTTP headers from now on.
    var protocolVersion: String? {
        get { state.withLock { $0.protocolVersion } }
        set { state.withLock { $0.protocolVersion = newValue } }
    }

    /// Why the connection broke, or nil while it works.
    var failure: MCPError? { state.withLock { $0.failure } }

    /// Sends a request and waits for its answer. When the calling task is cancelled the
    /// server is sent `notifications/cancelled` and a late answer is dropped.
    func request(_ method: String, params: JSONValue?, timeout: Duration? = nil) async throws -> JSONValue {
        let (answers, sink) = AsyncStream.makeStream(of: Result<JSONValue, MCPError>.self)
        let (id, failure): (RPCID, MCPError?) = state.withLock { state in
            state.nextID += 1
            let id = RPCID.int(state.nextID)
            if state.failure == nil { state.pending[id] = sink }
            return (id, state.failure)
        }
        if let failure { throw failure }
        do {
            try await transport.send(.request(id: id, method: method, params: params), protocolVersion: protocolVersion)
        } catch {
            _ = take(id)
            // Cancelled while sending: over HTTP the POST waits for the answer, so this is
            // where a session-era call is abandoned.
            if error is CancellationError || Task.isCancelled {
                await sendCancelled(id, method: method)
                throw CancellationError()
            }
            throw error
        }
        let timer = timeout.map { timeout in
            Task { [self] in
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled {
                    take(id)?.yield(.failure(MCPError(.timeout, "MCP server '\(name)' did not answer \(method) within \(timeout.components.seconds) s")))
                }
            }
        }
        defer { timer?.cancel() }
        for await answer in answers { return try answer.get() }
        // The stream ended without an answer: the calling task was cancelled.
        if take(id) != nil { await sendCancelled(id, method: method) }
        throw CancellationError()
    }

    /// Tells the server to stop working on `id` (never for the handshake, which the
    /// specification does not let a client cancel).
    private func sendCancelled(_ id: RPCID, method: String) async {
        guard method != InitializeMethod.name, method != DiscoverMethod.name else { return }
        let notice = RPCMessage.notification(method: "notifications/cancelled",
                                             params: ["requestId": id.json, "reason": "the step was cancelled or timed out"])
        let version = protocolVersion
        // A task of its own: this one is cancelled, and an HTTP send would be too.
        _ = await Task { [transport] in try? await transport.send(notice, protocolVersion: version) }.value
    }

    func notify(_ method: String, params: JSONValue? = nil) async throws {
        try await transport.send(.notification(method: method, params: params), protocolVersion: protocolVersion)
    }

    func close() async {
        fail(MCPError(.connectionLost, "the connection to MCP server '\(name)' was closed"))
        await transport.close()
        state.withLock { $0.reader }?.cancel()
    }

    private func take(_ id: RPCID) -> AsyncStream<Result<JSONValue, MCPError>>.Continuation? {
        state.withLock { $0.pending.removeValue(forKey: id) }
    }

    private func fail(_ error: MCPError) {
        let waiting = state.withLock { state in
            if state.failure == nil { state.failure = error }
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        for sink in waiting { sink.yield(.failure(error)) }
    }

    private func read(_ messages: AsyncThrowingStream<RPCMessage, any Error>) async {
        do {
            for try await message in messages { await handle(message) }
            fail(MCPError(.connectionLost, "MCP server '\(name)' closed the connection"))
        } catch let error as MCPError {
            fail(error)
        } catch {
            fail(MCPError(.connectionLost, "MCP server '\(name)': \(error)"))
        }
    }

    private func handle(_ message: RPCMessage) async {
        switch message {
        case .result(let id, let result):
            take(id)?.yield(.success(result))
        case .error(let id?, let error):
            take(id)?.yield(.failure(MCPError(.rpc, "MCP server '\(name)' answered error \(error.code): \(error.message)",
                                              rpcCode: error.code, data: error.data)))
        case .error(nil, _), .notification:
            break  // progress, logging, list_changed: nothing here waits for them
        case .request(let id, let method, _):
            let answer: RPCMessage = method == PingMethod.name
                ? .result(id: id, result: [:])
                : .error(id: id, RPCErrorObject(code: RPCErrorObject.methodNotFound, message: "orch-eval does not offer \(method)"))
            try? await transport.send(answer, protocolVersion: protocolVersion)
        }
    }
}
