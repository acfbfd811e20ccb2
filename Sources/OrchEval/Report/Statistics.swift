/// A mean with its bootstrap 95 % interval (percentile method).
public struct Estimate: Sendable, Equatable, Codable {
    public var mean: Double
    public var low: Double
    public var high: Double
    /// How many values (cases) it rests on.
    public var n: Int

    public init(mean: Double, low: Double, high: Double, n: Int) {
        self.mean = mean
        self.low = low
        self.high = high
        self.n = n
    }

    /// Whether the interval lies wholly above (1), below (−1) or around (0) zero.
    public var sign: Int { low > 0 ? 1 : (high < 0 ? -1 : 0) }
}

/// Bootstrap intervals with a fixed seed, so the same values give the same interval on every
/// run and machine (the report must not change between identical replays).
public enum Bootstrap {
    public static let resamples = 2000
    public static let seed: UInt64 = 0x0E7A_15EE_D000_0001

    /// The mean of `values` and the 2.5th–97.5th percentiles of resampled means.
    public static func mean(_ values: [Double]) -> Estimate? {
        guard !values.isEmpty else { return nil }
        return estimate(count: values.count) { indices in
            var sum = 0.0
            for i in indices { sum += values[i] }
            return sum / Double(indices.count)
        }
    }

    /// The ratio of means sum(numerator)/sum(denominator) over paired cases, resampling cases
    /// together; nil when the denominator's mean is 0.
    public static func ratio(_ numerator: [Double], _ denominator: [Double]) -> Estimate? {
        precondition(numerator.count == denominator.count, "paired values")
        guard !numerator.isEmpty, denominator.reduce(0, +) > 0 else { return nil }
        return estimate(count: numerator.count) { indices in
            var top = 0.0, bottom = 0.0
            for i in indices { top += numerator[i]; bottom += denominator[i] }
            return bottom > 0 ? top / bottom : .nan
        }
    }

    /// `statistic` of all indices, and its interval over resamples (NaN resamples left out).
    static func estimate(count: Int, _ statistic: ([Int]) -> Double) -> Estimate {
        let all = Array(0..<count)
        var generator = SplitMix64(seed: seed)
        var draws: [Double] = []
        draws.reserveCapacity(resamples)
        var indices = all
        for _ in 0..<resamples {
            for i in 0..<count { indices[i] = Int(generator.next() % UInt64(count)) }
            let value = statistic(indices)
            if !value.isNaN { draws.append(value) }
        }
        draws.sort()
        let point = statistic(all)
        guard !draws.isEmpty else { return Estimate(mean: point, low: point, high: point, n: count) }
        func percentile(_ p: Double) -> Double { draws[min(draws.count - 1, max(0, Int((p * Double(draws.count - 1)).rounded())))] }
        return Estimate(mean: point, low: percentile(0.025), high: percentile(0.975), n: count)
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a small seeded generator whose sequence is the same
/// everywhere, unlike `SystemRandomNumberGenerator`.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Duration {
    /// The duration in milliseconds.
    var ms: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
