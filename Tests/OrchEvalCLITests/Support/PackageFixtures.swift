import Foundation
import Testing
@testable import OrchEvalCLI

/// The package root; plans name images relative to it, as README's commands run from there.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

func fixture(_ path: String) -> String { packageRoot.appendingPathComponent(path).path }

/// Runs `orch-eval` in-process from the package root and returns (exit code, stdout, stderr).
/// Receipt OCR reads the committed text beside each image unless the caller asks for Tesseract.
func orchEval(_ arguments: [String], environment: [String: String] = ["OCR_MODE": "fixture"]) async -> (Int32, String, String) {
    #expect(FileManager.default.currentDirectoryPath == packageRoot.path, "swift test runs from the package root")
    let captured = CapturedIO()
    let status = await OrchEvalCommand.main(arguments, io: captured.io(environment: environment))
    return (status, captured.out, captured.err)
}
