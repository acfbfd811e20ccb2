import Foundation
import Synchronization

/// The local `tesseract` program, run as `tesseract IMAGE OUT --psm 6 txt tsv`: one
/// recognition pass that writes the plain text (identical to `tesseract IMAGE stdout --psm 6`)
/// and the word table the confidence comes from. `--psm 6` reads the page as one block of
/// text, which keeps a receipt's description and price on the same line.
struct TesseractRunner: Sendable {
    var executable: String
    var environment: [String: String]
    private let versionCache = VersionCache()

    init(executable: String, environment: [String: String]) {
        self.executable = executable
        // One OpenMP thread: on a small receipt image Tesseract's thread start-up costs more
        // than it saves (about 10× slower on a busy 2-core machine).
        self.environment = environment.merging(["OMP_THREAD_LIMIT": "1"]) { current, _ in current }
    }

    /// The first executable `tesseract` on the environment's `PATH`.
    static func locate(environment: [String: String]) -> String? {
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/tesseract"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    func recognize(imagePath: String) async throws(ReceiptWorkerError) -> OCRResult {
        let outDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("tesseract-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outDirectory) }
        do {
            try FileManager.default.createDirectory(at: outDirectory, withIntermediateDirectories: true)
        } catch {
            throw ReceiptWorkerError(.ocrFailed, "could not create a scratch folder for tesseract: \(error)")
        }
        let base = outDirectory.appendingPathComponent("out").path
        let child = ChildProcess(executable: executable, arguments: [imagePath, base, "--psm", "6", "txt", "tsv"], environment: environment)
        let finished = try await child.run()
        guard finished.status == 0, let text = try? String(contentsOfFile: base + ".txt", encoding: .utf8) else {
            let detail = String(decoding: finished.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ReceiptWorkerError(.ocrFailed, "tesseract could not read \(imagePath) (exit \(finished.status)): \(detail.isEmpty ? "no message" : detail)")
        }
        let table = (try? String(contentsOfFile: base + ".tsv", encoding: .utf8)) ?? ""
        return OCRResult(text: text, confidence: Self.meanWordConfidence(tsv: table))
    }

    /// Mean of the word rows' `conf` column (0–100 in the TSV) scaled to 0...1, three decimals;
    /// 0 when Tesseract found no words.
    static func meanWordConfidence(tsv: String) -> Double {
        var sum = 0.0
        var count = 0
        for row in tsv.split(separator: "\n").dropFirst() {
            let columns = row.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 12, columns[0] == "5", let conf = Double(columns[10]), conf >= 0,
                !columns[11].trimmingCharacters(in: .whitespaces).isEmpty
            else { continue }
            sum += conf
            count += 1
        }
        guard count > 0 else { return 0 }
        return (sum / Double(count) / 100 * 1000).rounded() / 1000
    }

    /// "tesseract 5.3.0", from `tesseract --version`, asked once per runner.
    func version() async -> String {
        if let known = versionCache.value.withLock({ $0 }) { return known }
        let child = ChildProcess(executable: executable, arguments: ["--version"], environment: environment)
        let output = (try? await child.run()).map { String(decoding: $0.stdout + $0.stderr, as: UTF8.self) } ?? ""
        let firstLine = output.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) }
        let version = firstLine.flatMap { $0.isEmpty ? nil : $0 } ?? "tesseract (unknown version)"
        versionCache.value.withLock { $0 = version }
        return version
    }
}

/// Shared between copies of a runner so the version is asked once.
private final class VersionCache: Sendable {
    let value = Mutex<String?>(nil)
}
