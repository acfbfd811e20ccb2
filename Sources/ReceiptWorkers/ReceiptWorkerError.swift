/// Why a receipt worker could not do its job: a machine-readable `code` (it becomes the step
/// error's code) and a sentence that names the file, URI or input field and says what to do.
public struct ReceiptWorkerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as the step error's `code`.
    public enum Code: String, Sendable, CaseIterable {
        /// The input JSON lacks a field or has the wrong type.
        case badInput = "bad_input"
        /// `OCR_MODE` holds something other than `tesseract`, `fixture` or `azure`.
        case badOCRMode = "bad_ocr_mode"
        /// The image path does not exist or cannot be read.
        case imageNotFound = "image_not_found"
        /// An `http(s)://` image: this build reads local images only.
        case remoteImage = "remote_image_unsupported"
        /// The `tesseract` program is not on `PATH`.
        case tesseractMissing = "tesseract_missing"
        /// The OCR engine ran but failed (Tesseract: not an image, crashed, cancelled; Azure:
        /// the service refused the image, the operation failed or never finished).
        case ocrFailed = "ocr_failed"
        /// `OCR_MODE=azure` without a usable `AZURE_CV_ENDPOINT` / `AZURE_CV_KEY`, or a
        /// rejected key.
        case ocrNotConfigured = "ocr_not_configured"
        /// Fixture mode found no committed `.txt` beside the image.
        case fixtureTextMissing = "fixture_text_missing"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
