import Foundation

/// How often and how patiently a client retries 429 and 5xx answers.
///
/// The defaults: up to 3 retries (4 attempts in all; the official OpenAI/Anthropic SDKs make 2
/// retries), waits of 0.5 s, 1 s, 2 s (doubling, at most 8 s, minus up to 25 % jitter, as those
/// SDKs do), and a provider's own retry hint instead when it asks for at most `maximumHint`.
public struct RetryPolicy: Sendable {
    /// Retries after the first attempt (0 = no retry).
    public var retries: Int
    public var initialDelay: Duration
    public var maximumDelay: Duration
    /// Longer hints than this are not waited for (the default backoff is used instead).
    public var maximumHint: Duration
    /// Waits between attempts; tests inject one that returns at once.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// A number in 0..<1 for jitter; tests inject a constant.
    public var random: @Sendable () -> Double

    public init(retries: Int = 3, initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(8),
                maximumHint: Duration = .seconds(60),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.retries = max(0, retries)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumHint = maximumHint
        self.sleep = sleep
        self.random = random
    }

    /// The defaults (3 retries).
    public static var standard: RetryPolicy { RetryPolicy() }

    /// One attempt, never wait.
    public static var none: RetryPolicy { RetryPolicy(retries: 0) }

    /// How long to wait before attempt `attempt + 1` (1-based) after a failure with `hint`.
    public func delay(after attempt: Int, hint: Duration?) -> Duration {
        if let hint, hint >= .zero, hint <= maximumHint { return hint }
        let exponent = min(max(attempt - 1, 0), 16)
        let base = min(initialDelay * (1 << exponent), maximumDelay)
        return base * (1 - 0.25 * random())
    }
}
