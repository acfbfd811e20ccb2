import Foundation

/// A complete HTTP response as a plain value.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A response whose body arrives in pieces (server-sent events, LLM token streams): the
/// status and headers first, then the body chunks as they come. The chunk sequence throws
/// when the connection breaks mid-way, so a consumer can tell a cut stream from a finished one.
public struct HTTPStreamingResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var chunks: AsyncThrowingStream<Data, any Error>

    public init(status: Int, headers: HTTPHeaders = [:], chunks: AsyncThrowingStream<Data, any Error>) {
        self.status = status
        self.headers = headers
        self.chunks = chunks
    }

    /// Reads the whole body and returns it as a complete response.
    public func collect() async throws -> HTTPResponse {
        var body = Data()
        for try await chunk in chunks { body.append(chunk) }
        return HTTPResponse(status: status, headers: headers, body: body)
    }
}
