import Foundation

extension CassetteCheck {
    /// Files under `directory` that are neither cassettes (`*.json`) nor intact-looking side
    /// files (`blobs/<64 hex digits>`): recording journals (of a recorder still running, or of
    /// a killed one whose interactions are not yet merged), temporary files left by killed
    /// writers, and anything else. `git add -A` would commit them. Files named `.git…` and
    /// `README…` are allowed.
    public static func unknownFiles(under directory: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isDirectoryKey]) else { return [] }
        var problems: [String] = []
        for case let url as URL in enumerator {
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true { continue }
            let name = url.lastPathComponent
            let inBlobs = url.deletingLastPathComponent().lastPathComponent == "blobs"
            if inBlobs ? isHexDigest(name) : (name.hasSuffix(".json") && !name.hasPrefix(".")) { continue }
            if name.hasPrefix(".git") || name.hasPrefix("README") { continue }
            problems.append(describe(url))
        }
        return problems.sorted()
    }

    private static func describe(_ url: URL) -> String {
        let name = url.lastPathComponent
        if let pid = AtomicFile.writerID(inName: name, suffix: CassetteJournal.suffix) {
            let cassette = CassetteJournal.cassette(ofJournal: url)
            if LocalProcess.isRunning(pid) {
                return "\(url.path): process \(pid) is recording \(cassette.path) now; verify again when it has finished"
            }
            let count = (try? FoundJournal(url: url, data: FileManager.default.contents(atPath: url.path) ?? Data()))?.interactions.count
            return "\(url.path): journal of a recorder (process \(pid)) that was killed; \(count.map { "its \($0) interaction(s) are" } ?? "it is unreadable and") not merged into \(cassette.path). Replay includes them; the next recording of that cassette (ORCH_RECORD=missing) merges them, or delete the journal to drop them"
        }
        if let pid = AtomicFile.writerID(inName: name, suffix: AtomicFile.temporarySuffix) {
            return "\(url.path): temporary file of a write by process \(pid)\(LocalProcess.isRunning(pid) ? " (still running)" : " that was killed"); delete it (the next recording in this folder does)"
        }
        return "\(url.path): not a cassette (*.json) or side file (blobs/<sha256>); move it out of the cassette folder or delete it"
    }

    private static func isHexDigest(_ name: String) -> Bool {
        name.utf8.count == 64 && name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
