/// Why a receipt worker could not do its job: a machine-readable `code` (it becomes the step
/// error's code) and a sentence that names the file, URI or input field and says what to do.
public struct ReceiptWorkerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as the step error's `code`.
    public enum Code: String, Sendable, CaseIterable {
        /// The input JSON lacks a field or has the wrong type.
        case badInput = "bad_input"
        /// `OCR_MODE` holds something other than `tesseract` or `fixture`.
        case badOCRMode = "bad_ocr_mode"
        /// The image path does not exist or cannot be read.
        case imageNotFound = "image_not_found"
        /// An `http(s)://` image: this build reads local images only.
        case remoteImage = "remote_image_unsupported"
        /// The `tesseract` program is not on `PATH`.
        case tesseractMissing = "tesseract_missing"
        /// Tesseract ran but failed (not an image, crashed, cancelled).
        case ocrFailed = "ocr_failed"
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
