import Foundation

/// Every failure of a provider call. `code` says the class; the message says what to do.
public struct ProviderError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: Sendable, Equatable {
        /// Missing key or endpoint, unknown provider: the message names the variable.
        case configuration
        /// 401/403: the message names the variable to set, never the key.
        case unauthorized
        /// 404: the message names the model or deployment.
        case notFound
        /// 400 (and other 4xx): the message quotes the provider's.
        case badRequest
        /// 429 after the retries.
        case rateLimited
        /// 5xx after the retries.
        case server
        /// A content filter refused the prompt or the answer.
        case contentFiltered
        /// The body is not what the API documents: the message quotes (clipped) what arrived.
        case malformedResponse
        /// The stream ended early or broke mid-way.
        case streamBroken
        case timeout, cancelled
        /// No response at all (connection refused, DNS, TLS).
        case transport
    }

    public var code: Code
    public var provider: String
    /// The HTTP status when there was a response.
    public var status: Int?
    public var message: String
    /// How long the provider asked us to wait (retry-after, x-ratelimit-reset-*, RetryInfo).
    public var retryAfter: Duration?

    public init(_ code: Code, provider: String, status: Int? = nil, _ message: String, retryAfter: Duration? = nil) {
        self.code = code
        self.provider = provider
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String {
        let status = status.map { " (HTTP \($0))" } ?? ""
        return "\(provider)\(status): \(message)"
    }

    /// At most `limit` characters of `text`, marked when clipped: for quoting bodies in messages.
    public static func clip(_ text: String, limit: Int = 300) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "… (\(flat.count) characters)"
    }

    /// A body that does not match the documented format, quoted clipped.
    public static func malformed(_ provider: String, _ what: String, body: Data, status: Int? = nil) -> ProviderError {
        ProviderError(.malformedResponse, provider: provider, status: status,
                      "\(what); the body was: \(clip(String(decoding: body, as: UTF8.self)))")
    }
}
