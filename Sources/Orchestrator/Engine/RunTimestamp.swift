import Foundation

/// The timestamps of run results: UTC, milliseconds, `2026-12-02T16:20:19.123Z`.
///
/// Written by hand from the seconds since 1970, because `Date.ISO8601FormatStyle` cost about
/// 7,000 instructions a call and a run result holds two per step. The text is the style's
/// (`Date.ISO8601FormatStyle(includingFractionalSeconds: true)` of this toolchain's
/// Foundation, which truncates to the millisecond); dates before 1900 or from year 10000 on,
/// where the Julian calendar or a fifth year digit would come in, still go through the style.
enum RunTimestamp {
    static func string(_ date: Date) -> String {
        let sinceReference = date.timeIntervalSinceReferenceDate
        guard sinceReference >= firstFast, sinceReference < endOfFast else { return date.formatted(style) }
        let whole = sinceReference.rounded(.down)
        // As Foundation splits it: nanoseconds of the fraction, truncated, then milliseconds.
        let milliseconds = Int((sinceReference - whole) * 1e9) / 1_000_000
        let seconds = Int(whole) + secondsFrom1970To2001
        let days = (seconds >= 0 ? seconds : seconds - 86_399) / 86_400  // rounded down before 1970
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSince1970: days)
        return String(unsafeUninitializedCapacity: 24) { text in
            func put(_ value: Int, digits: Int, at offset: Int) {
                var rest = value
                for i in stride(from: offset + digits - 1, through: offset, by: -1) {
                    text[i] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, digits: 4, at: 0)
            put(month, digits: 2, at: 5)
            put(day, digits: 2, at: 8)
            put(secondOfDay / 3600, digits: 2, at: 11)
            put(secondOfDay / 60 % 60, digits: 2, at: 14)
            put(secondOfDay % 60, digits: 2, at: 17)
            put(milliseconds, digits: 3, at: 20)
            (text[4], text[7], text[10]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "T"))
            (text[13], text[16], text[19], text[23]) = (UInt8(ascii: ":"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "Z"))
            return 24
        }
    }

    /// Year, month and day of the proleptic Gregorian calendar (Hinnant's `civil_from_days`:
    /// eras of 400 years, years starting in March so that the leap day comes last).
    static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468  // days since 0000-03-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static let secondsFrom1970To2001 = 978_307_200
    /// 1900-01-01T00:00:00Z and 10000-01-01T00:00:00Z, in seconds since 2001.
    private static let firstFast: TimeInterval = -3_187_296_000
    private static let endOfFast: TimeInterval = 253_402_300_800 - 978_307_200
    /// Made once: building the style cost about as much as a fifth of formatting with it.
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
