import Foundation
import Synchronization

/// Where a client reads the time for latency, injected so tests are deterministic.
///
/// ```swift
/// let clock = ProviderClock.stepping(by: 5)   // every reading 5 ms after the previous
/// ```
public struct ProviderClock: Sendable {
    /// Milliseconds since an arbitrary origin; only differences matter.
    public var now: @Sendable () -> Double

    public init(now: @escaping @Sendable () -> Double) { self.now = now }

    /// The monotonic system clock.
    public static var system: ProviderClock {
        let origin = ContinuousClock.now
        return ProviderClock {
            let (seconds, attoseconds) = (ContinuousClock.now - origin).components
            return Double(seconds) * 1000 + Double(attoseconds) / 1e15
        }
    }

    /// A clock that advances `milliseconds` at every reading (starting at 0).
    public static func stepping(by milliseconds: Double) -> ProviderClock {
        let readings = Mutex(0)
        return ProviderClock {
            readings.withLock { count in
                defer { count += 1 }
                return Double(count) * milliseconds
            }
        }
    }
}

/// How often and how patiently a client retries 429 and 5xx answers.
///
/// The defaults follow the official OpenAI/Anthropic SDKs: 3 attempts in all, waits of
/// 0.5 s, 1 s, … (doubling, at most 8 s, minus up to 25 % jitter), and a provider's own
/// retry hint when it asks for at most `maximumHint`.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included (1 = no retry).
    public var attempts: Int
    public var initialDelay: Duration
    public var maximumDelay: Duration
    /// Longer hints than this are not waited for (the default backoff is used instead).
    public var maximumHint: Duration
    /// Waits between attempts; tests inject one that returns at once.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// A number in 0..<1 for jitter; tests inject a constant.
    public var random: @Sendable () -> Double

    public init(attempts: Int = 3, initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(8),
                maximumHint: Duration = .seconds(60),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.attempts = max(1, attempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumHint = maximumHint
        self.sleep = sleep
        self.random = random
    }

    /// The SDK defaults (3 attempts).
    public static var standard: RetryPolicy { RetryPolicy() }

    /// One attempt, never wait.
    public static var none: RetryPolicy { RetryPolicy(attempts: 1) }

    /// How long to wait before attempt `attempt + 1` (1-based) after a failure with `hint`.
    public func delay(after attempt: Int, hint: Duration?) -> Duration {
        if let hint, hint >= .zero, hint <= maximumHint { return hint }
        let exponent = min(max(attempt - 1, 0), 16)
        let base = min(initialDelay * (1 << exponent), maximumDelay)
        return base * (1 - 0.25 * random())
    }
}
