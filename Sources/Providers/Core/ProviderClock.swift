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
