import Foundation
import Testing
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

    static let python: String? = ProcessInfo.processInfo.environment["PATH"]?
        .split(separator: ":").map { "\($0)/python3" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
