import Cassettes
import Foundation

/// Runs `body` with a transport that replays (and, as the mode allows, records) the cassette
/// named after the calling test, stored in the package's `Cassettes/` directory:
/// `Cassettes/<TestFile>/<testName>.json`. Works in Swift Testing and XCTest alike.
///
/// ```swift
/// @Test func summarizesAReceipt() async throws {
///     try await withCassette { transport in
///         let client = MyModelClient(transport: transport)
///         let summary = try await client.summarize("…")
///         #expect(summary.contains("total"))
///     }
/// }
/// ```
///
/// The default mode, `.once`, records the first time (with a live `URLSessionTransport`) and
/// replays forever after; `ORCH_RECORD=missing|all|never` overrides it, and on CI recording is
/// refused unless `ORCH_RECORD_FORCE=1`. What the test recorded is merged into the cassette
/// when `body` returns, with what other tests (in this process or others, as with
/// `swift test --parallel`) recorded into the same cassette meanwhile.
///
/// - Parameters:
///   - name: The cassette's name; defaults to the calling function (`summarizesAReceipt()` → `summarizesAReceipt`).
///   - mode: The record mode unless `ORCH_RECORD` says otherwise; nil takes the one set by
///     `withCassetteRecording`, `.once` by default.
///   - upstream: Where recorded requests really go; `URLSessionTransport()` when nil.
///   - directory: Where the cassette lives; defaults to `<package>/Cassettes/<TestFile>/`.
public func withCassette<R>(
    _ name: String = #function,
    mode: RecordMode? = nil,
    upstream: (any HTTPTransport)? = nil,
    options: CassetteOptions = CassetteOptions(),
    directory: URL? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    filePath: StaticString = #filePath,
    _ body: (CassetteTransport) async throws -> R
) async throws -> R {
    let file = try CassetteLocation.file(named: name, directory: directory, testFile: "\(filePath)")
    let transport = try CassetteTransport(file: file, mode: mode ?? CassetteRecording.mode, upstream: upstream ?? URLSessionTransport(),
                                          options: options, environment: environment)
    let result: R
    do {
        result = try await body(transport)
    } catch {
        try? transport.close()  // what was recorded is kept; the test's own error matters more
        throw error
    }
    try transport.close()
    return result
}

/// The record mode `withCassette` uses when none is passed, for the current task and its
/// children. Set it around a group of tests with `withCassetteRecording(_:operation:)`.
public enum CassetteRecording {
    @TaskLocal public static var mode: RecordMode = .once
}

/// Runs `operation` with `mode` as the default record mode of every `withCassette` inside it.
///
/// ```swift
/// try await withCassetteRecording(.missing) { try await runAllCases() }
/// ```
public func withCassetteRecording<R>(_ mode: RecordMode, operation: () async throws -> R) async rethrows -> R {
    try await CassetteRecording.$mode.withValue(mode) { try await operation() }
}

/// Where `withCassette` keeps cassettes.
public enum CassetteLocation {
    /// The cassette file for `name`, called from the test source file `testFile`.
    public static func file(named name: String, directory: URL?, testFile: String) throws -> URL {
        let source = URL(fileURLWithPath: testFile)
        let base: URL
        if let directory {
            base = directory
        } else {
            guard let root = packageRoot(containing: source) else {
                throw CassetteError(.io, file: testFile,
                                    "cannot find Package.swift above \(testFile) to place its cassettes; pass `directory:` to withCassette")
            }
            base = root.appendingPathComponent("Cassettes", isDirectory: true)
                .appendingPathComponent(source.deletingPathExtension().lastPathComponent, isDirectory: true)
        }
        return base.appendingPathComponent(sanitize(name) + ".json")
    }

    /// The nearest directory above `file` that holds a Package.swift.
    public static func packageRoot(containing file: URL) -> URL? {
        var directory = file.deletingLastPathComponent()
        while directory.path != "/" && !directory.path.isEmpty {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// `summarizes(receipt:)` → `summarizes-receipt`: letters, digits, `.`, `_` and `-` only.
    static func sanitize(_ name: String) -> String {
        var trimmed = Substring(name)
        if trimmed.hasSuffix("()") { trimmed = trimmed.dropLast(2) }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let mapped = String(trimmed.map { allowed.contains($0) ? $0 : "-" })
        let collapsed = mapped.split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
        return collapsed.isEmpty ? "cassette" : collapsed
    }
}
