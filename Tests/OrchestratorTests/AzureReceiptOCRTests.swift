import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
import Orchestrator
import Testing

/// `receipt_ocr` with `OCR_MODE=azure` sends the image to Azure AI Vision Read (here a
/// loopback server speaking its protocol) and returns its lines.
@Suite struct AzureReceiptOCRTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let key = String(repeating: "0123456789abcdef", count: 2)

    /// Answers the submission with 202 and every poll with a succeeded Read result.
    static func readService() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            if request.method == "POST" {
                return LoopbackHTTPServer.Response(status: 202, headers: [
                    "Operation-Location": "http://\(request.headers["host"] ?? "")/vision/v3.2/read/analyzeResults/7d3a2c1e",
                    "Retry-After": "0",  // poll at once
                ])
            }
            let result: JSONValue = ["status": "succeeded", "analyzeResult": ["version": "v3.2", "readResults": [["page": 1, "lines": [
                ["text": "Coffee 2x 3.50 7.00", "words": [["text": "Coffee", "confidence": 0.98], ["text": "2x", "confidence": 0.9]]],
                ["text": "TOTAL 9.18", "words": [["text": "TOTAL", "confidence": 0.99], ["text": "9.18", "confidence": 0.97]]],
            ]]]]]
            return .json(result.serialized())
        }
    }

    @Test func receiptOCRReadsThroughAzureWhenSelected() async throws {
        let server = try Self.readService()
        defer { server.stop() }
        let environment = ["OCR_MODE": "azure", "AZURE_CV_ENDPOINT": server.baseURL.absoluteString, "AZURE_CV_KEY": Self.key]
        let tools = try ReceiptWorkerTools.all(environment: environment, baseDirectory: Self.packageRoot, transport: URLSessionTransport())
        let ocr = try #require(tools.first { $0.descriptor.name == "receipt_ocr" })
        let output = try await ocr.call(["image_uri": "Fixtures/receipts/seed-receipt.png"], context: StepContext(stepID: "ocr"))
        #expect(output.value["text"] == "Coffee 2x 3.50 7.00\nTOTAL 9.18")
        #expect(output.metadata == ["ocr_engine": "azure-vision-read v3.2", "ocr_mode": "azure"])
        let image = try Data(contentsOf: Self.packageRoot.appendingPathComponent("Fixtures/receipts/seed-receipt.png"))
        #expect(server.received.first?.body == image, "the image's bytes are what is submitted")
    }

    @Test func azureWithoutItsVariablesIsReportedWhenTheToolsAreMade() {
        #expect { try ReceiptWorkerTools.all(environment: ["OCR_MODE": "azure", "AZURE_CV_ENDPOINT": "https://x.cognitiveservices.azure.com"]) } throws: {
            ($0 as? ToolError)?.code == "ocr_not_configured" && ($0 as? ToolError)?.message.contains("AZURE_CV_KEY") == true
        }
    }

    @Test func aServiceFailureIsAnOCRFailedStepError() async throws {
        let server = try LoopbackHTTPServer { _ in .json(#"{"error":{"code":"InvalidImageSize","message":"Image must be at least 50 pixels."}}"#, status: 400) }
        defer { server.stop() }
        let environment = ["OCR_MODE": "azure", "AZURE_CV_ENDPOINT": server.baseURL.absoluteString, "AZURE_CV_KEY": Self.key]
        let tools = try ReceiptWorkerTools.all(environment: environment, baseDirectory: Self.packageRoot)
        let ocr = try #require(tools.first { $0.descriptor.name == "receipt_ocr" })
        let error = await #expect(throws: ToolError.self) {
            try await ocr.call(["image_uri": "Fixtures/receipts/seed-receipt.png"], context: StepContext(stepID: "ocr"))
        }
        #expect(error?.code == "ocr_failed")
        #expect(error?.message.contains("Image must be at least 50 pixels.") == true)
    }
}
