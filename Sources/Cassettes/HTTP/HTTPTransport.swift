/// Sends HTTP requests. Everything that talks to a model or OCR service goes through one of
/// these, so a test or an evaluation can put a cassette between the caller and the network.
///
/// A test double only needs `send`; streaming falls back to one chunk holding the whole body:
///
/// ```swift
/// struct Fixed: HTTPTransport {
///     func send(_ request: HTTPRequest) async throws -> HTTPResponse {
///         HTTPResponse(status: 200, body: Data(#"{"ok":true}"#.utf8))
///     }
/// }
/// ```
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the complete response. Non-2xx statuses are responses,
    /// not errors; errors mean no response (connection refused, timeout, cancellation).
    func send(_ request: HTTPRequest) async throws -> HTTPResponse

    /// Sends `request` and returns as soon as the status and headers are in; the body follows
    /// chunk by chunk. Use for server-sent events.
    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse
}

extension HTTPTransport {
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let response = try await send(request)
        return HTTPStreamingResponse(status: response.status, headers: response.headers,
                                     chunks: AsyncThrowingStream { continuation in
                                         if !response.body.isEmpty { continuation.yield(response.body) }
                                         continuation.finish()
                                     })
    }
}
