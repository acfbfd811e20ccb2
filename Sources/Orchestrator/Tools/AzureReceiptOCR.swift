import Cassettes
import Foundation
import Providers
import ReceiptWorkers

/// `receipt_ocr` with `OCR_MODE=azure`: the image goes to Azure AI Vision Read. Lives here,
/// not in ReceiptWorkers, because the workers import no network layer.
struct AzureReceiptOCR: RemoteOCR {
    let client: AzureReadClient

    /// From `AZURE_CV_ENDPOINT` and `AZURE_CV_KEY`; a missing one is `ocr_not_configured`.
    init(environment: [String: String], transport: any HTTPTransport) throws(ReceiptWorkerError) {
        do {
            client = try AzureReadClient.fromEnvironment(ProviderEnvironment(environment), transport: transport)
        } catch {
            throw ReceiptWorkerError(.ocrNotConfigured, "OCR_MODE=azure: \(error.message)")
        }
    }

    var engineDescription: String { "azure-vision-read v3.2" }

    /// Lines joined by newlines; confidence is the mean word confidence (0 when no word was found).
    func recognize(image: Data, path: String) async throws(ReceiptWorkerError) -> OCRResult {
        do {
            let result = try await client.read(image)
            return OCRResult(text: result.text, confidence: result.confidence ?? 0)
        } catch {
            let code: ReceiptWorkerError.Code = error.code == .unauthorized ? .ocrNotConfigured : .ocrFailed
            throw ReceiptWorkerError(code, "Azure AI Vision could not read \(path): \(error.message)")
        }
    }
}
