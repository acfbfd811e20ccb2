import Foundation

/// The `receipt_ocr` worker: turns a local receipt image into text.
///
/// ```swift
/// let ocr = try ReceiptOCR.fromEnvironment()          // OCR_MODE, PATH
/// let result = try await ocr.recognize(imageURI: "Fixtures/receipts/seed-receipt.png")
/// print(result.text, result.confidence)
/// ```
public struct ReceiptOCR: Sendable {
    public var mode: OCRMode
    /// Relative image paths resolve against this folder.
    public var baseDirectory: URL
    private var tesseract: TesseractRunner?
    /// The service `OCR_MODE=azure` uses; `nil` in the other modes.
    public var remote: (any RemoteOCR)?

    /// - Parameters:
    ///   - environment: supplies `PATH` for finding `tesseract` and is passed to it.
    ///   - baseDirectory: where relative image paths start; the current directory by default.
    ///   - remote: the network OCR service for `.azure` (built by the Orchestrator layer).
    public init(mode: OCRMode, environment: [String: String] = ProcessInfo.processInfo.environment, baseDirectory: URL? = nil, remote: (any RemoteOCR)? = nil) {
        self.mode = mode
        self.baseDirectory = baseDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        self.tesseract = TesseractRunner.locate(environment: environment).map { TesseractRunner(executable: $0, environment: environment) }
        self.remote = remote
    }

    /// The mode chosen by `OCR_MODE` (see `OCRMode.fromEnvironment`); `remote` serves `azure`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment, baseDirectory: URL? = nil, remote: (any RemoteOCR)? = nil) throws(ReceiptWorkerError) -> ReceiptOCR {
        ReceiptOCR(mode: try OCRMode.fromEnvironment(environment), environment: environment, baseDirectory: baseDirectory, remote: remote)
    }

    /// Whether the `tesseract` program was found on `PATH`.
    public var tesseractAvailable: Bool { tesseract != nil }

    /// Reads the image at `imageURI` (a path or `file://` URI).
    public func recognize(imageURI: String) async throws(ReceiptWorkerError) -> OCRResult {
        let image = try ImageLocation(uri: imageURI, baseDirectory: baseDirectory)
        try image.checkReadable()
        switch mode {
        case .fixture:
            let textPath = image.fixtureTextPath
            guard let text = try? String(contentsOfFile: textPath, encoding: .utf8) else {
                throw ReceiptWorkerError(.fixtureTextMissing, "OCR_MODE=fixture needs the recorded text \(textPath) beside \(image.path); run `python3 scripts/make_receipts.py` or use OCR_MODE=tesseract")
            }
            return OCRResult(text: text, confidence: 1.0)
        case .tesseract:
            guard let tesseract else {
                throw ReceiptWorkerError(.tesseractMissing, "tesseract is not installed (not found on PATH); install it (Debian/Ubuntu: apt-get install tesseract-ocr, macOS: brew install tesseract) or set OCR_MODE=fixture")
            }
            return try await tesseract.recognize(imagePath: image.path)
        case .azure:
            guard let remote else {
                throw ReceiptWorkerError(.ocrNotConfigured, "OCR_MODE=azure needs the Azure AI Vision client; build the tools with ReceiptWorkerTools.all(environment:) and set AZURE_CV_ENDPOINT and AZURE_CV_KEY")
            }
            guard let bytes = FileManager.default.contents(atPath: image.path) else {
                throw ReceiptWorkerError(.imageNotFound, "receipt image \(image.path) cannot be read")
            }
            return try await remote.recognize(image: bytes, path: image.path)
        }
    }

    /// What produced the text, for step metadata: "tesseract 5.3.0" or "fixture text".
    public func engineDescription() async -> String {
        switch mode {
        case .fixture: "fixture text"
        case .tesseract: await tesseract?.version() ?? "tesseract (not installed)"
        case .azure: remote?.engineDescription ?? "azure (not configured)"
        }
    }
}
