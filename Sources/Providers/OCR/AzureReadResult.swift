import Foundation
import OrchJSON

/// What Azure AI Vision Read returned for one image: its lines in reading order.
public struct AzureReadResult: Sendable, Equatable {
    /// One recognised line. Read 3.2 scores words, not lines, so a line's confidence is the
    /// mean of its words' (`nil` for a line without words).
    public struct Line: Sendable, Equatable {
        public var text: String
        public var confidence: Double?
        /// 1-based page number (images have one page).
        public var page: Int

        public init(text: String, confidence: Double?, page: Int = 1) {
            self.text = text
            self.confidence = confidence
            self.page = page
        }
    }

    public var lines: [Line]
    /// The recognition model that answered (`analyzeResult.modelVersion`), when given.
    public var modelVersion: String?
    /// Mean confidence over every word of the image (`nil` when no word was found).
    public var confidence: Double?

    public init(lines: [Line], modelVersion: String? = nil, confidence: Double?) {
        self.lines = lines
        self.modelVersion = modelVersion
        self.confidence = confidence
    }

    /// The lines joined with newlines, as a receipt parser reads them.
    public var text: String { lines.map(\.text).joined(separator: "\n") }

    /// Reads `analyzeResult` of a succeeded operation:
    /// `{"readResults": [{"page": 1, "lines": [{"text", "words": [{"text", "confidence"}]}]}]}`.
    /// Returns `nil` when the shape is not that (the caller quotes the body).
    init?(analyzeResult: JSONValue) {
        guard let pages = analyzeResult["readResults"]?.arrayValue else { return nil }
        var lines: [Line] = []
        var allWords: [Double] = []
        for (index, page) in pages.enumerated() {
            guard let pageLines = page["lines"]?.arrayValue else { return nil }
            let number = page["page"]?.intValue ?? index + 1
            for line in pageLines {
                guard let text = line["text"]?.stringValue else { return nil }
                let words = (line["words"]?.arrayValue ?? []).compactMap { $0["confidence"]?.doubleValue }
                allWords += words
                lines.append(Line(text: text, confidence: Self.mean(words), page: number))
            }
        }
        self.init(lines: lines, modelVersion: analyzeResult["modelVersion"]?.stringValue, confidence: Self.mean(allWords))
    }

    private static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
