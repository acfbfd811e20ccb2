import Foundation
import Testing
import OrchJSON
@testable import Orchestrator

/// The built-ins promise Python's `round(x, 2)`; this asks a real Python for the answers.
@Suite struct FunctionRoundingTests {
    @Test(.enabled(if: FunctionRoundingTests.python != nil, "python3 is not on PATH"))
    func agreesWithPythonsRound() throws {
        // Halves, near-halves and the products the built-ins compute (amount × rate, amount × percent / 100).
        var values: [Double] = (0..<400).map { Double($0) / 1000 + 0.005 }
        for amount in [0.125, 2.675, 1.005, 19.99, 33.33, 8.5, 1234.565, 0.015, 99.995] {
            for rate in [0.07, 0.08, 0.0825, 0.125, 0.5, 1] { values.append(amount * rate) }
        }
        let script = "import sys\nfor line in sys.stdin: print(repr(round(float(line), 2)))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FunctionRoundingTests.python!)
        process.arguments = ["-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // repr() of a Double round-trips, so Python reads back exactly these values.
        input.fileHandleForWriting.write(Data(values.map { "\($0)\n" }.joined().utf8))
        try input.fileHandleForWriting.close()
        let answers = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").compactMap { Double($0) }
        process.waitUntilExit()
        #expect(answers.count == values.count)
        for (value, expected) in zip(values, answers) {
            #expect(value.roundedLikePython() == expected, "round(\(value), 2)")
        }
    }

    /// The arithmetic rounding against printf's, which formats the exact binary value (the
    /// implementation before it, kept for what the arithmetic does not cover), bit for bit,
    /// signs of zero included, over seeded random values of every size and the cases that
    /// sit on or next to a half.
    @Test func arithmeticAgreesWithPrintf() {
        func printf(_ x: Double, _ places: Int) -> Double { Double(String(format: "%.\(places)f", x))! }
        var random = SplitMix64(seed: 0x2675)
        var values: [(Double, Int)] = [(2.675, 2), (0.125, 2), (0.375, 2), (1.005, 2), (0.005, 2), (-0.004, 2), (-0.0, 2),
                                       (0, 2), (2.5, 0), (-2.5, 0), (4.503599627370495e13, 2), (1e300, 2), (5e-324, 2)]
        for _ in 0..<20_000 {
            let magnitude = Double(random.next() >> 11) / 0x1p53 * pow(10, Double(Int(random.next() % 40)) - 20)
            values.append((random.next() & 1 == 0 ? magnitude : -magnitude, Int(random.next() % 6)))
            let thousandths = Double(random.next() % 2_000_000) / 1000
            values.append((thousandths + 0.005, 2))  // the decimal halves, which binary cannot hold
            values.append((Double(random.next() % 100_000) / 8, 2))  // exact binary halves and quarters
            values.append((Double(random.next() % 100_000) / 100 * Double(random.next() % 10_000) / 10_000, 2))
        }
        var mismatches: [String] = []
        for (value, places) in values where value.roundedLikePython(places: places).bitPattern != printf(value, places).bitPattern {
            mismatches.append("round(\(value), \(places)) gave \(value.roundedLikePython(places: places)), printf \(printf(value, places))")
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    static let python: String? = ProcessInfo.processInfo.environment["PATH"]?
        .split(separator: ":").map { "\($0)/python3" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
