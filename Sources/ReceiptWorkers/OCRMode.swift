import Foundation

/// Where `receipt_ocr` gets its text.
public enum OCRMode: String, Sendable, CaseIterable {
    /// Runs the local `tesseract` program on the image.
    case tesseract
    /// Reads the committed `NAME.txt` beside `NAME.png`: what Tesseract returned when the
    /// fixture was made, so runs without Tesseract see the same text.
    case fixture
    /// Sends the image to Azure AI Vision Read (`AZURE_CV_ENDPOINT`, `AZURE_CV_KEY`). The
    /// client lives in the Providers layer; `ReceiptWorkerTools` in Orchestrator supplies it.
    case azure

    /// The mode named by `OCR_MODE` (`tesseract`, `fixture` or `azure`, any case). When it is unset or
    /// empty: `tesseract` if the program is on `PATH`, else `fixture`.
    public static func fromEnvironment(_ environment: [String: String]) throws(ReceiptWorkerError) -> OCRMode {
        let raw = environment["OCR_MODE"]?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if raw.isEmpty {
            return TesseractRunner.locate(environment: environment) == nil ? .fixture : .tesseract
        }
        guard let mode = OCRMode(rawValue: raw) else {
            throw ReceiptWorkerError(.badOCRMode, "OCR_MODE is '\(raw)'; set it to 'tesseract', 'fixture' or 'azure', or leave it unset to pick tesseract when installed")
        }
        return mode
    }
}
