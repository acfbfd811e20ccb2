import Foundation

/// An OCR service reached over the network (`OCR_MODE=azure`). ReceiptWorkers reads local
/// files only and imports no network layer, so the layer that owns the HTTP clients
/// (Orchestrator, over Providers) supplies one.
///
/// A test double:
/// ```swift
/// struct FixedOCR: RemoteOCR {
///     var engineDescription: String { "fixed" }
///     func recognize(image: Data, path: String) async throws(ReceiptWorkerError) -> OCRResult {
///         OCRResult(text: "MILK 2.49", confidence: 0.9)
///     }
/// }
/// ```
public protocol RemoteOCR: Sendable {
    /// Names the service for step metadata, e.g. "azure-vision-read v3.2".
    var engineDescription: String { get }
    /// Recognises the text of `image` (the bytes of the file at `path`, named in errors).
    func recognize(image: Data, path: String) async throws(ReceiptWorkerError) -> OCRResult
}
