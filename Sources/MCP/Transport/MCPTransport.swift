import OrchJSON

/// Carries JSON-RPC messages between an MCP client and one server: stdio, Streamable HTTP,
/// or in memory for tests.
///
/// `open` starts the connection and returns what the server sends; the stream ends (with an
/// `MCPError` of kind `.connectionLost`) when the connection breaks. `send` writes one message;
/// `protocolVersion` is the negotiated revision (nil before the handshake), which HTTP puts in
/// headers. A test double pairs two in-memory ends: `InMemoryTransport.pair()`.
public protocol MCPTransport: Sendable {
    func open() async throws -> AsyncThrowingStream<RPCMessage, any Error>
    func send(_ message: RPCMessage, protocolVersion: String?) async throws
    /// Ends the connection and releases what it holds (process, HTTP session).
    func close() async
}

/// One end of an in-memory connection. Messages sent on one end arrive on the other.
///
/// ```swift
/// let (clientEnd, serverEnd) = InMemoryTransport.pair()
/// ```
public final class InMemoryTransport: MCPTransport {
    private let inbound: AsyncThrowingStream<RPCMessage, any Error>
    private let outbound: AsyncThrowingStream<RPCMessage, any Error>.Continuation
    private let ownInbound: AsyncThrowingStream<RPCMessage, any Error>.Continuation

    private init(inbound: AsyncThrowingStream<RPCMessage, any Error>, ownInbound: AsyncThrowingStream<RPCMessage, any Error>.Continuation,
                 outbound: AsyncThrowingStream<RPCMessage, any Error>.Continuation) {
        self.inbound = inbound
        self.ownInbound = ownInbound
        self.outbound = outbound
    }

    /// Two connected ends.
    public static func pair() -> (InMemoryTransport, InMemoryTransport) {
        let (a, aSink) = AsyncThrowingStream.makeStream(of: RPCMessage.self, throwing: (any Error).self)
        let (b, bSink) = AsyncThrowingStream.makeStream(of: RPCMessage.self, throwing: (any Error).self)
        return (InMemoryTransport(inbound: a, ownInbound: aSink, outbound: bSink),
                InMemoryTransport(inbound: b, ownInbound: bSink, outbound: aSink))
    }

    public func open() async throws -> AsyncThrowingStream<RPCMessage, any Error> { inbound }

    public func send(_ message: RPCMessage, protocolVersion: String?) async throws {
        outbound.yield(message)
    }

    /// Ends both directions: the peer's stream finishes, as when a process exits.
    public func close() async {
        outbound.finish()
        ownInbound.finish()
    }
}
