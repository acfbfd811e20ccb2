import Cassettes
import Foundation

/// Reading the "wait this long" hints providers send with 429 and 503 answers.
public enum RetryHints {
    /// The wait the standard headers ask for, in the order the official SDKs read them:
    /// `retry-after-ms` (milliseconds), `retry-after` (seconds or an HTTP date), then OpenAI's
    /// `x-ratelimit-reset-requests` / `-tokens` (Go durations such as `6m0s`; the one whose
    /// `remaining` is 0, else the shorter).
    public static func fromHeaders(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        if let ms = headers["retry-after-ms"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }), ms >= 0 {
            return .milliseconds(ms)
        }
        if let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Double(value), seconds >= 0 { return .milliseconds(seconds * 1000) }
            if let date = httpDate(value) { return .milliseconds(max(0, date.timeIntervalSince(now) * 1000)) }
        }
        var resets: [(exhausted: Bool, wait: Duration)] = []
        for kind in ["requests", "tokens"] {
            guard let wait = headers["x-ratelimit-reset-\(kind)"].flatMap(goDuration) else { continue }
            resets.append((headers["x-ratelimit-remaining-\(kind)"]?.trimmingCharacters(in: .whitespaces) == "0", wait))
        }
        return resets.first(where: \.exhausted)?.wait ?? resets.map(\.wait).min()
    }

    /// A Go-style duration (`12ms`, `1s`, `9.816s`, `6m0s`, `1h2m3s`, also `37s` as Google's
    /// protobuf Duration is written). `nil` when `text` is not one.
    public static func goDuration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("us", 0.000_001), ("µs", 0.000_001), ("ns", 1e-9), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var seconds = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.0.count)
            seconds += value * unit.1
        }
        return .milliseconds(seconds * 1000)
    }

    /// The wait until an RFC 3339 time (Anthropic's `anthropic-ratelimit-*-reset`), at least 0.
    public static func untilRFC3339(_ text: String, now: Date = Date()) -> Duration? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let date = formatter.date(from: trimmed) ?? ISO8601DateFormatter().date(from: trimmed) else { return nil }
        return .milliseconds(max(0, date.timeIntervalSince(now) * 1000))
    }

    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

extension Duration {
    /// The duration in milliseconds.
    public var inMilliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
