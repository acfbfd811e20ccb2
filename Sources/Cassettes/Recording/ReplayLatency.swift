import Foundation
import Synchronization

/// How long a replayed exchange takes.
public enum ReplayLatency: Sendable {
    /// Return at once (the default: tests stay fast).
    case immediate
    /// Sleep for the recorded latency; a stream delivers each chunk at its recorded offset.
    case realtime
    /// Return at once but advance a virtual clock by the recorded latency, so an evaluation
    /// can compute a plan's latency deterministically.
    case virtual(VirtualClock)
}

/// Recorded latency added up instead of slept. `total` sums every replayed exchange; wrap a
/// piece of work in `measure` to learn how much of it that work consumed (for example one plan
/// step, so the critical path over the steps can be computed).
///
/// ```swift
/// let clock = VirtualClock()
/// let (answer, ms) = try await VirtualClock.measure { try await transport.send(request) }
/// ```
public final class VirtualClock: Sendable {
    private let totalMs = Mutex<Double>(0)

    public init() {}

    /// Milliseconds of recorded latency replayed through this clock so far.
    public var elapsedMs: Double { totalMs.withLock { $0 } }

    /// Adds `ms` to this clock and to the meter of the enclosing `measure`, if any.
    public func advance(byMs ms: Double) {
        totalMs.withLock { $0 += ms }
        VirtualClock.currentMeter?.add(ms)
    }

    @TaskLocal static var currentMeter: Meter?

    /// Runs `operation` and returns its result with the virtual milliseconds it consumed
    /// (latency replayed by any virtual-clock cassette inside it, including child tasks). A
    /// measure inside another counts toward both: a step's measure sees its model call's.
    public static func measure<R: Sendable>(_ operation: () async throws -> R) async rethrows -> (R, Double) {
        let meter = Meter()
        let outer = currentMeter
        defer { outer?.add(meter.value) }
        let result = try await $currentMeter.withValue(meter) { try await operation() }
        return (result, meter.value)
    }

    final class Meter: Sendable {
        private let ms = Mutex<Double>(0)
        func add(_ value: Double) { ms.withLock { $0 += value } }
        var value: Double { ms.withLock { $0 } }
    }
}

extension ReplayLatency {
    /// Waits (or advances the clock) for an exchange of `ms` milliseconds.
    func pass(_ ms: Double) async throws {
        switch self {
        case .immediate: return
        case .realtime: if ms > 0 { try await Task.sleep(for: .milliseconds(ms)) }
        case .virtual(let clock): clock.advance(byMs: ms)
        }
    }
}
