import Foundation
import OrchJSON
import Testing
@testable import Orchestrator

/// Run results write their timestamps by hand; the text must be what Foundation's ISO 8601
/// style wrote before, at every instant.
@Suite struct RunTimestampTests {
    let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    @Test func knownInstants() {
        #expect(RunTimestamp.string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(RunTimestamp.string(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")  // a leap day
        #expect(RunTimestamp.string(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        #expect(RunTimestamp.string(Date(timeIntervalSince1970: 1_796_228_419.125)) == "2026-12-02T16:20:19.125Z")
        // Truncated like Foundation: .123 after 1970 is .12299… after 2001, where `Date` counts from.
        #expect(RunTimestamp.string(Date(timeIntervalSince1970: 1_796_228_419.123)) == "2026-12-02T16:20:19.122Z")
    }

    @Test func agreesWithFoundationOverRandomInstants() {
        var random = SplitMix64(seed: 0x150_8601)
        // The edges of the hand-written range (1900 up to year 10000) and both sides of them.
        var instants: [TimeInterval] = [-2_208_988_800, -2_208_988_800.001, 253_402_300_799.999, 253_402_300_800, 0, -0.5]
        for i in 0..<30_000 {
            let second = Double(Int64(random.next() % 260_000_000_000)) - 2_300_000_000
            switch i % 3 {
            case 0: instants.append(second + Double(random.next() % 1000) / 1000)  // whole milliseconds, as clocks give
            case 1: instants.append(second + Double(random.next() >> 11) / 0x1p53)  // any fraction
            default: instants.append(1.7e9 + Double(random.next() % 1_000_000_000) / 1000)  // around now
            }
        }
        var mismatches: [String] = []
        for instant in instants {
            let date = Date(timeIntervalSince1970: instant)
            if RunTimestamp.string(date) != date.formatted(style) {
                mismatches.append("\(instant): \(RunTimestamp.string(date)) vs \(date.formatted(style))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }
}
