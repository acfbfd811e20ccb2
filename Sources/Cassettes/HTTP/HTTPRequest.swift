import Foundation

/// An HTTP request as a plain value: what a transport sends and what a cassette stores.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: URL
    public var headers: HTTPHeaders
    public var body: Data
    /// Seconds the live transport waits before giving up (`nil`: the session's default).
    /// Not part of the request's identity on the wire, so cassettes do not store it.
    public var timeout: Double?

    public init(method: String = "GET", url: URL, headers: HTTPHeaders = [:], body: Data = Data(),
                timeout: Double? = nil) {
        self.method = method.uppercased()
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
