import OrchJSON

/// A failure talking to an MCP server, or serving one. The message names the server and says
/// what to do; `rpcCode` and `data` carry a JSON-RPC error's code and data when there was one.
public struct MCPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure, for callers that react differently (reconnect, retry, report).
    public enum Kind: String, Sendable, Equatable {
        /// The server answered with a JSON-RPC error.
        case rpc
        /// Client and server share no protocol revision.
        case unsupportedVersion
        /// The connection broke: the process exited, printed a non-JSON line, the HTTP
        /// session expired. The next call reconnects.
        case connectionLost
        /// The server did not answer in time.
        case timeout
        /// The server answered something the protocol does not allow.
        case badResponse
        /// The configuration cannot be used.
        case configuration
    }

    public var kind: Kind
    public var message: String
    public var rpcCode: Int?
    public var data: JSONValue?

    public init(_ kind: Kind, _ message: String, rpcCode: Int? = nil, data: JSONValue? = nil) {
        self.kind = kind
        self.message = message
        self.rpcCode = rpcCode
        self.data = data
    }

    public var description: String { message }
}
