import Cassettes
import Foundation
import Providers
import Testing

@Suite struct RetryHintsTests {
    @Test(arguments: [("12ms", 12.0), ("1s", 1000), ("9.816s", 9816), ("6m0s", 360_000), ("1h2m3s", 3_723_000), ("37s", 37_000)])
    func goDurations(text: String, milliseconds: Double) {
        #expect(RetryHints.goDuration(text)?.inMilliseconds == milliseconds)
    }

    @Test(arguments: ["", "6", "s", "1x", "-1s"])
    func notDurations(text: String) {
        #expect(RetryHints.goDuration(text) == nil)
    }

    @Test func headersInTheOrderTheSDKsReadThem() {
        #expect(RetryHints.fromHeaders(["retry-after-ms": "250", "retry-after": "3"])?.inMilliseconds == 250)
        #expect(RetryHints.fromHeaders(["retry-after": "1.5"])?.inMilliseconds == 1500)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryHints.fromHeaders(["retry-after": "Tue, 14 Nov 2023 22:13:30 GMT"], now: now)?.inMilliseconds == 10_000)
        // The exhausted limit decides; otherwise the sooner reset.
        #expect(RetryHints.fromHeaders(["x-ratelimit-reset-requests": "1s", "x-ratelimit-reset-tokens": "6m0s",
                                        "x-ratelimit-remaining-tokens": "0", "x-ratelimit-remaining-requests": "59"])?.inMilliseconds == 360_000)
        #expect(RetryHints.fromHeaders(["x-ratelimit-reset-requests": "1s", "x-ratelimit-reset-tokens": "6m0s"])?.inMilliseconds == 1000)
        #expect(RetryHints.fromHeaders([:]) == nil)
    }

    @Test func rfc3339Resets() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14T22:13:20Z
        #expect(RetryHints.untilRFC3339("2023-11-14T22:13:27Z", now: now)?.inMilliseconds == 7000)
        #expect(RetryHints.untilRFC3339("2023-11-14T22:13:20.500Z", now: now)?.inMilliseconds == 500)
        #expect(RetryHints.untilRFC3339("yesterday", now: now) == nil)
    }

    @Test func backoffDoublesAndHonoursShortHints() {
        let policy = RetryPolicy(random: { 0 })
        #expect(policy.delay(after: 1, hint: nil) == .milliseconds(500))
        #expect(policy.delay(after: 2, hint: nil) == .seconds(1))
        #expect(policy.delay(after: 9, hint: nil) == .seconds(8))
        #expect(policy.delay(after: 1, hint: .seconds(2)) == .seconds(2))
        // A hint longer than a minute (a 6m0s token reset) is not waited for.
        #expect(policy.delay(after: 1, hint: .seconds(360)) == .milliseconds(500))
    }
}
