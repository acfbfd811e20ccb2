import Foundation
import Testing
@testable import OrchEvalCLI
import OrchJSON

/// The package root; plans name images relative to it, as README's commands run from there.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func fixture(_ path: String) -> String { packageRoot.appendingPathComponent(path).path }

/// Runs `orch-eval` in-process from the package root and returns (exit code, stdout, stderr).
func orchEval(_ arguments: [String], environment: [String: String] = ["OCR_MODE": "fixture"]) async -> (Int32, String, String) {
    #expect(FileManager.default.currentDirectoryPath == packageRoot.path, "swift test runs from the package root")
    let captured = CapturedIO()
    let status = await OrchEvalCommand.main(arguments, io: captured.io(environment: environment))
    return (status, captured.out, captured.err)
}

@Suite("The seed's example plans run offline")
struct SeedPlanTests {
    @Test("example_plan.json: OCR, parser, code bridge and categorizer")
    func examplePlan() async throws {
        let (status, out, err) = await orchEval(["exec", fixture("Fixtures/plans/example_plan.json"), "--json"])
        #expect(status == 0, "\(err)\n\(out)")
        let result = try JSONValue(parsing: out)
        #expect(result["status"] == "succeeded")
        let items = result["steps"]?["step-2"]?["output"]?["items"]?.arrayValue ?? []
        #expect(items.map { $0["description"]?.stringValue } == ["Coffee", "Bagel"])
        #expect(items.map { $0["quantity"] } == [1, 2])
        #expect(items.map { $0["total"] } == [3.5, 5])
        // The seed's bridge takes len() of the parser's whole output object: one key, "items".
        #expect(result["steps"]?["step-bridge"]?["output"] == ["output": ["item_count": 1]])
        let categories = result["steps"]?["step-3"]?["output"]?["categorized"]?.arrayValue?.map { $0["category"] }
        #expect(categories == ["beverage", "food"])
        #expect(result["synthesis"]?.stringValue?.contains("### step-3 (expense_categorizer): succeeded") == true)
    }

    @Test("example_plan_hybrid.json: adds function calls for merge, tax and statistics")
    func hybridPlan() async throws {
        let (status, out, err) = await orchEval(["exec", fixture("Fixtures/plans/example_plan_hybrid.json"), "--json"])
        #expect(status == 0, "\(err)\n\(out)")
        let steps = try JSONValue(parsing: out)["steps"]
        #expect(steps?["step-bridge"]?["output"] == ["output": ["item_count": 2, "descriptions": ["Coffee", "Bagel"]]])
        #expect(steps?["step-tax"]?["output"] == ["result": 0.68])
        #expect(steps?["step-merge"]?["output"]?["result"]?["total_sum"] == 8.5)
        #expect(steps?["step-statistics"]?["output"]?["result"]?["count"] == 2)
    }
}
