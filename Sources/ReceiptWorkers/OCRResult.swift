import OrchJSON

/// What `receipt_ocr` returns: the recognised text, one receipt line per text line, and a
/// confidence in 0...1 (Tesseract: mean word confidence; fixture mode: 1.0).
public struct OCRResult: Sendable, Equatable {
    public var text: String
    public var confidence: Double

    public init(text: String, confidence: Double) {
        self.text = text
        self.confidence = confidence
    }

    /// `{"text": …, "confidence": …}`, the seed's output shape.
    public var json: JSONValue {
        ["text": .string(text), "confidence": .number(confidence)]
    }
}
