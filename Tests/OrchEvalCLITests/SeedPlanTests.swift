import Foundation
import Testing
@testable import OrchEvalCLI
import OrchJSON

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
        // The seed's bridge takes len() of the parser's whole output object, whose keys are
        // items, subtotal, tax and total; the hybrid plan's bridge counts the items proper.
        #expect(result["steps"]?["step-bridge"]?["output"] == ["output": ["item_count": 4]])
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

@Suite("The seed's plan with live Tesseract")
struct SeedPlanTesseractTests {
    static let tesseractInstalled = ProcessInfo.processInfo.environment["PATH", default: ""].split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/tesseract") }

    @Test("real OCR of the committed seed receipt gives the seed's items", .enabled(if: tesseractInstalled, "tesseract is not installed (apt-get install tesseract-ocr)"))
    func liveOCR() async throws {
        let (status, out, err) = await orchEval(["exec", fixture("Fixtures/plans/example_plan.json"), "--json"], environment: ["OCR_MODE": "tesseract", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""])
        #expect(status == 0, "\(err)")
        let steps = try JSONValue(parsing: out)["steps"]
        #expect(steps?["step-1"]?["metadata"]?["ocr_mode"] == "tesseract")
        #expect(steps?["step-2"]?["output"]?["items"]?.arrayValue?.map { $0["total"] } == [3.5, 5])
    }
}
