import Foundation
import OrchJSON
import Orchestrator
import Testing

@Suite struct ReceiptWorkerToolsTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let context = StepContext(stepID: "ocr")

    func tools(_ environment: [String: String] = ["OCR_MODE": "fixture"]) throws -> [String: any StepTool] {
        let list = try ReceiptWorkerTools.all(environment: environment, baseDirectory: Self.packageRoot)
        return Dictionary(uniqueKeysWithValues: list.map { ($0.descriptor.name, $0) })
    }

    @Test func threeMCPToolsWithSchemas() throws {
        let tools = try tools()
        #expect(tools.keys.sorted() == ["expense_categorizer", "line_item_parser", "receipt_ocr"])
        #expect(tools.values.allSatisfy { $0.descriptor.kind == .mcp && $0.descriptor.inputSchema["type"] == "object" })
        #expect(tools["receipt_ocr"]?.descriptor.inputSchema["required"] == ["image_uri"])
        #expect(tools["expense_categorizer"]?.descriptor.inputSchema["required"] == ["items"])
    }

    @Test func theSeedReceiptRunsThroughAllThree() async throws {
        let tools = try tools()
        let ocr = try await #require(tools["receipt_ocr"]).call(["image_uri": "Fixtures/receipts/seed-receipt.png"], context: context)
        #expect(ocr.metadata == ["ocr_engine": "fixture text", "ocr_mode": "fixture"])
        let parsed = try await #require(tools["line_item_parser"]).call(["ocr_text": ocr.value], context: context)
        let categorized = try await #require(tools["expense_categorizer"]).call(["items": parsed.value], context: context)
        let categories = categorized.value["categorized"]?.arrayValue?.compactMap { $0["category"]?.stringValue }
        #expect(categories == ["beverage", "food"])
        #expect(parsed.value["total"] == 9.18)
    }

    @Test func workerFailuresBecomeToolErrors() async throws {
        let tools = try tools()
        let missing = await #expect(throws: ToolError.self) {
            try await tools["receipt_ocr"]?.call(["image_uri": "Fixtures/receipts/nope.png"], context: context)
        }
        #expect(missing?.code == "image_not_found")
        #expect(missing?.message.contains(Self.packageRoot.appendingPathComponent("Fixtures/receipts/nope.png").path) == true)
        #expect(missing?.retryable == false)
        let remote = await #expect(throws: ToolError.self) {
            try await tools["receipt_ocr"]?.call(["image_uri": "https://example.com/receipts/2024-12-receipt.jpg"], context: context)
        }
        #expect(remote?.code == "remote_image_unsupported")
        let badShape = await #expect(throws: ToolError.self) {
            try await tools["expense_categorizer"]?.call(["items": 3], context: context)
        }
        #expect(badShape?.code == "bad_input")
        #expect(badShape?.message.contains("'items'") == true)
    }

    @Test func aBadOCRModeIsReportedWhenTheToolsAreMade() {
        #expect(throws: ToolError.self) { try ReceiptWorkerTools.all(environment: ["OCR_MODE": "cloud"]) }
    }

    static let tesseractInstalled = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/tesseract")
    }

    @Test(.enabled(if: tesseractInstalled, "tesseract-ocr is not installed"))
    func tesseractModeNamesTheEngine() async throws {
        let tool = try #require(try tools(ProcessInfo.processInfo.environment.merging(["OCR_MODE": "tesseract"]) { $1 })["receipt_ocr"])
        let output = try await tool.call(["image_uri": "Fixtures/receipts/seed-receipt.png"], context: context)
        #expect(output.metadata["ocr_engine"]?.stringValue?.hasPrefix("tesseract 5") == true)
        #expect(output.value["text"]?.stringValue?.contains("2x Bagel 5.00") == true)
    }
}
