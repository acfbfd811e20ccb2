import OrchJSON

/// A step failure a tool reports as data: a short machine-readable `code`, a sentence for
/// the plan author, optional structured `details`, and whether trying again can help.
public struct ToolError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var details: JSONValue?
    public var retryable: Bool
    /// A server's `Retry-After`, honoured by the engine's backoff when present.
    public var retryAfter: Duration?

    public init(code: String, message: String, details: JSONValue? = nil, retryable: Bool = false, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.retryable = retryable
        self.retryAfter = retryAfter
    }

    public var description: String { "\(code): \(message)" }
}
