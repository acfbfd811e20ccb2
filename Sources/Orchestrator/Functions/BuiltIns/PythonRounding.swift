import Foundation

extension Double {
    /// Rounded to `places` decimals the way Python's `round(x, places)` does: half to even
    /// on the exact binary value, so `2.675` (stored as 2.67499…) gives `2.67` and `0.125`
    /// gives `0.12`. The seed's functions round with Python, and results must agree.
    func roundedLikePython(places: Int = 2) -> Double {
        guard isFinite else { return self }
        // printf formats the exact binary value with correct rounding, as Python's dtoa does.
        return Double(String(format: "%.\(places)f", self)) ?? self
    }
}
