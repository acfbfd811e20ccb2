/// Lengths of time as plans and the command line write them: `timeout_s`, `backoff_s`,
/// `max_backoff_s`, `--default-timeout`.
public enum PlanSeconds {
    /// The longest time accepted, about 31 years. `Duration` traps on values past ~5e12 years,
    /// so a plan saying `1e30` must be refused, not converted; no real step waits this long.
    public static let maximum: Double = 1_000_000_000

    /// Why `seconds` is not a usable length of time (nil when it is): not finite, below the
    /// minimum (0, or just above 0 when `allowZero` is false), or above `maximum`.
    public static func problem(_ seconds: Double, allowZero: Bool) -> String? {
        guard seconds.isFinite, allowZero ? seconds >= 0 : seconds > 0 else {
            return "expected a number of seconds \(allowZero ? "≥" : ">") 0"
        }
        guard seconds <= maximum else { return "expected at most 1000000000 seconds (about 31 years)" }
        return nil
    }
}
