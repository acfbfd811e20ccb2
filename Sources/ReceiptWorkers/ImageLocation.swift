import Foundation

/// A receipt image on the local disk, resolved from what a plan wrote in `image_uri`.
struct ImageLocation: Sendable, Equatable {
    /// Absolute path of the image file.
    var path: String

    /// Accepts a plain path (relative ones resolve against `baseDirectory`) or a `file://`
    /// URI. Web URIs are refused: the workers run offline and fetch nothing.
    init(uri: String, baseDirectory: URL) throws(ReceiptWorkerError) {
        let trimmed = uri.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw ReceiptWorkerError(.badInput, "image_uri is empty; give a local image path or a file:// URI")
        }
        let lower = trimmed.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            throw ReceiptWorkerError(.remoteImage, "image_uri '\(trimmed)' is a web address; only local images are supported offline: download it and pass its path or a file:// URI")
        }
        if lower.hasPrefix("file:") {
            guard let url = URL(string: trimmed), url.isFileURL, !url.path.isEmpty else {
                throw ReceiptWorkerError(.badInput, "image_uri '\(trimmed)' is not a valid file:// URI; write it as file:///absolute/path.png")
            }
            path = url.standardizedFileURL.path
        } else if let scheme = trimmed.firstRange(of: "://") {
            let name = trimmed[..<scheme.lowerBound]
            throw ReceiptWorkerError(.badInput, "image_uri '\(trimmed)' uses the '\(name)' scheme; give a local path or a file:// URI")
        } else {
            path = URL(fileURLWithPath: trimmed, relativeTo: baseDirectory).standardizedFileURL.path
        }
    }

    /// Fails with a message naming the path when the file is missing, a folder, or unreadable.
    func checkReadable() throws(ReceiptWorkerError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReceiptWorkerError(.imageNotFound, "receipt image \(path) does not exist; check image_uri")
        }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: path) else {
            throw ReceiptWorkerError(.imageNotFound, "receipt image \(path) cannot be read (a folder, or no read permission)")
        }
    }

    /// Where fixture mode looks for the committed OCR text: `NAME.txt` beside `NAME.png`.
    var fixtureTextPath: String {
        URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("txt").path
    }
}
