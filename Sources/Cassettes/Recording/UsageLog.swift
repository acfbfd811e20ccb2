import Foundation
import OrchJSON

/// Appends one JSON line per served or recorded interaction, so `cassettes verify
/// --usage-log` can report interactions no test uses. Lines are short single `write`s to a
/// file opened for appending, so concurrent test processes do not interleave them.
struct UsageLog: Sendable {
    let url: URL
    let cassette: URL

    func append(digest: String) {
        // Symbolic links resolved, so `verify` finds the cassette whichever path reached it.
        let line: JSONValue = ["cassette": .string(cassette.resolvingSymlinksInPath().path), "request": .string(digest)]
        let data = Array((line.serialized() + "\n").utf8)
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }  // a usage log is a diagnostic aid; failing to write it must not fail a test
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}
