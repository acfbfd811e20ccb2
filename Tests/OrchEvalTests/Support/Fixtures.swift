import Foundation
@testable import OrchEval
import OrchJSON

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// A small suite of function-call cases (no OCR, no Python), built the way a suite file is read.
func arithmeticSuite(cases count: Int = 8, configurations: [JSONValue]? = nil) throws -> Suite {
    let cases: [JSONValue] = (1...count).map { n in
        let amount = Double(n) * 10
        return [
            "id": .string("tax-\(n)"), "request": .string("Tax on \(amount)"), "tags": ["tax"],
            "golden_plan": ["request_id": .string("tax-\(n)"), "steps": [
                ["id": "tax", "tool": "function_call", "input": ["name": "compute_tax", "args": ["amount": .number(amount), "tax_rate": 0.1]]],
            ]],
            // Every third case expects a wrong value, so reports have failures to show.
            "assertions": [["name": "tax", "kind": "approx", "select": "step:tax.result",
                            "expected": .number(n % 3 == 0 ? amount : amount / 10), "abs": 0.001]],
        ]
    }
    let json: JSONValue = [
        "format_version": 1, "name": "arith",
        "configurations": .array(configurations ?? [["name": "rules-only", "planner": "golden", "workers": ["kind": "rules"]]]),
        "cases": .array(cases),
    ]
    return try SuiteLoader.decode(json, file: "arith.json")
}

/// A scratch folder removed when the value is released.
final class ScratchFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("orch-eval-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Options that replay only, inside `folder`, without progress output.
func replayOptions(in folder: ScratchFolder, _ change: (inout RunOptions) -> Void = { _ in }) -> RunOptions {
    var options = RunOptions(root: folder.url, environment: ["OCR_MODE": "fixture"])
    change(&options)
    return options
}

/// A report value with wall-clock figures zeroed, for comparing runs.
func withoutWallClock(_ report: Report) -> Report {
    var input = report.input
    input.wallClockMs = 0
    input.results = input.results.map { var r = $0; r.wallMs = 0; return r }
    return Report.build(input)
}

func report(of suite: Suite, _ outcome: SuiteRunner.Outcome, shard: Shard? = nil) -> Report {
    Report.build(suite, outcome: outcome, shard: shard)
}
