import Foundation

extension Double {
    /// Rounded to `places` decimals the way Python's `round(x, places)` does: half to even
    /// on the exact binary value, so `2.675` (stored as 2.67499…) gives `2.67` and `0.125`
    /// gives `0.12`. The seed's functions round with Python, and results must agree.
    func roundedLikePython(places: Int = 2) -> Double {
        guard isFinite else { return self }
        if let rounded = roundedExactly(places: places) { return rounded }
        // printf formats the exact binary value with correct rounding, as Python's dtoa does.
        return Double(String(format: "%.\(places)f", self)) ?? self
    }

    /// The same rounding in plain arithmetic (no text, no Foundation: printf cost about
    /// 13,000 instructions a call), or nil outside the range where it is exact: up to 22
    /// places and |x| · 10^places below 2^52.
    ///
    /// x · 10^p is split exactly into `high + low` with one fused multiply-add; the decision
    /// "below, at or above the half" is then the sign of `(fraction of high − ½) + low`, both
    /// terms exact, and a floating-point sum always gets the sign of the exact sum right. The
    /// result n / 10^p is one correctly rounded division: the double nearest the decimal
    /// n·10^-p, which is what parsing printf's text gives.
    private func roundedExactly(places: Int) -> Double? {
        guard places >= 0, places < Self.exactPowersOfTen.count else { return nil }
        let scale = Self.exactPowersOfTen[places]
        let high = magnitude * scale
        guard high < 0x1p52 else { return nil }
        // Below a quarter the exact product is surely below the half (this also keeps `low`
        // clear of underflow, where it would stop being exact).
        guard high >= 0.25 else { return sign == .minus ? -0.0 : 0 }
        let low = (-high).addingProduct(magnitude, scale)
        let whole = high.rounded(.down)
        let beyondHalf = ((high - whole) - 0.5) + low
        let up = beyondHalf > 0 || (beyondHalf == 0 && whole.truncatingRemainder(dividingBy: 2) == 1)
        let rounded = (up ? whole + 1 : whole) / scale
        return sign == .minus ? -rounded : rounded
    }

    /// 10^0 … 10^22, every one exact in a `Double`.
    private static let exactPowersOfTen: [Double] = (0...22).map { (0..<$0).reduce(1.0) { value, _ in value * 10 } }
}
