import Foundation
import ReceiptWorkers
import Testing

let tesseractInstalled = ReceiptOCR(mode: .tesseract).tesseractAvailable

/// A fresh folder under the system temp directory, removed by the caller.
func scratchFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("receipt-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

@Suite struct ReceiptOCRTests {
    let seedImage = ReceiptFixture.directory.appendingPathComponent("seed-receipt.png")

    @Test func fixtureModeReturnsTheCommittedText() async throws {
        let recorded = try String(contentsOf: ReceiptFixture.directory.appendingPathComponent("seed-receipt.txt"), encoding: .utf8)
        let result = try await ReceiptOCR(mode: .fixture).recognize(imageURI: seedImage.path)
        #expect(result == OCRResult(text: recorded, confidence: 1.0))
    }

    @Test func fileURIsAndRelativePathsReachTheSameImage() async throws {
        let ocr = ReceiptOCR(mode: .fixture, baseDirectory: ReceiptFixture.directory.deletingLastPathComponent())
        let byPath = try await ocr.recognize(imageURI: seedImage.path)
        #expect(try await ocr.recognize(imageURI: seedImage.absoluteString) == byPath)
        #expect(try await ocr.recognize(imageURI: "receipts/seed-receipt.png") == byPath)
    }

    @Test func aMissingImageIsNamed() async throws {
        let error = await #expect(throws: ReceiptWorkerError.self) {
            try await ReceiptOCR(mode: .fixture).recognize(imageURI: "/no/such/receipt.png")
        }
        #expect(error?.code == .imageNotFound)
        #expect(error?.message.contains("/no/such/receipt.png") == true)
    }

    @Test func aFolderIsNotAnImage() async throws {
        let error = await #expect(throws: ReceiptWorkerError.self) {
            try await ReceiptOCR(mode: .fixture).recognize(imageURI: ReceiptFixture.directory.path)
        }
        #expect(error?.code == .imageNotFound)
        #expect(error?.message.contains("cannot be read") == true)
    }

    @Test("web and other URIs are refused", arguments: [
        ("https://example.com/receipts/2024-12-receipt.jpg", ReceiptWorkerError.Code.remoteImage, "only local images"),
        ("HTTP://example.com/r.png", .remoteImage, "only local images"),
        ("s3://bucket/r.png", .badInput, "'s3' scheme"),
        ("  ", .badInput, "empty"),
    ])
    func refusedURIs(uri: String, code: ReceiptWorkerError.Code, phrase: String) async throws {
        let error = await #expect(throws: ReceiptWorkerError.self) {
            try await ReceiptOCR(mode: .fixture).recognize(imageURI: uri)
        }
        #expect(error?.code == code)
        #expect(error?.message.contains(phrase) == true)
    }

    @Test func fixtureModeWithoutRecordedTextSaysHowToMakeIt() async throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("new.png")
        try FileManager.default.copyItem(at: seedImage, to: copy)
        let error = await #expect(throws: ReceiptWorkerError.self) {
            try await ReceiptOCR(mode: .fixture).recognize(imageURI: copy.path)
        }
        #expect(error?.code == .fixtureTextMissing)
        #expect(error?.message.contains(folder.appendingPathComponent("new.txt").path) == true)
    }

    @Test func tesseractModeWithoutTheProgramSaysToInstallIt() async throws {
        let ocr = ReceiptOCR(mode: .tesseract, environment: ["PATH": "/nonexistent"])
        #expect(!ocr.tesseractAvailable)
        let error = await #expect(throws: ReceiptWorkerError.self) { try await ocr.recognize(imageURI: seedImage.path) }
        #expect(error?.code == .tesseractMissing)
        #expect(error?.message.contains("apt-get install tesseract-ocr") == true)
    }

    @Test("OCR_MODE", arguments: [
        (["OCR_MODE": "fixture"], OCRMode.fixture), (["OCR_MODE": " TESSERACT "], .tesseract),
        (["OCR_MODE": "", "PATH": "/nonexistent"], .fixture), (["PATH": "/nonexistent"], .fixture),
    ])
    func modeFromEnvironment(environment: [String: String], mode: OCRMode) throws {
        #expect(try OCRMode.fromEnvironment(environment) == mode)
    }

    @Test func anUnknownModeIsRefused() {
        #expect(throws: ReceiptWorkerError(.badOCRMode, "OCR_MODE is 'cloud'; set it to 'tesseract', 'fixture' or 'azure', or leave it unset to pick tesseract when installed")) {
            try OCRMode.fromEnvironment(["OCR_MODE": "cloud"])
        }
    }

    /// Stands in for the Azure client the Orchestrator layer supplies.
    struct FixedRemote: RemoteOCR {
        var engineDescription: String { "fixed remote" }
        func recognize(image: Data, path: String) async throws(ReceiptWorkerError) -> OCRResult {
            OCRResult(text: "\(image.count) bytes from \(URL(fileURLWithPath: path).lastPathComponent)", confidence: 0.5)
        }
    }

    @Test func azureModeSendsTheImageBytesToTheRemoteService() async throws {
        #expect(try OCRMode.fromEnvironment(["OCR_MODE": "Azure"]) == .azure)
        let size = try Data(contentsOf: seedImage).count
        let result = try await ReceiptOCR(mode: .azure, remote: FixedRemote()).recognize(imageURI: seedImage.path)
        #expect(result == OCRResult(text: "\(size) bytes from seed-receipt.png", confidence: 0.5))
        #expect(await ReceiptOCR(mode: .azure, remote: FixedRemote()).engineDescription() == "fixed remote")
        let error = await #expect(throws: ReceiptWorkerError.self) { try await ReceiptOCR(mode: .azure).recognize(imageURI: seedImage.path) }
        #expect(error?.code == .ocrNotConfigured)
    }

    @Test(.enabled(if: tesseractInstalled, "tesseract-ocr is not installed"))
    func unsetModePicksTesseractWhenInstalled() throws {
        #expect(try OCRMode.fromEnvironment(ProcessInfo.processInfo.environment.filter { $0.key != "OCR_MODE" }) == .tesseract)
    }

    @Test(.enabled(if: tesseractInstalled, "tesseract-ocr is not installed"))
    func tesseractReadsTheSeedReceipt() async throws {
        let ocr = ReceiptOCR(mode: .tesseract)
        let result = try await ocr.recognize(imageURI: seedImage.path)
        #expect(result.text.contains("1x Coffee 3.50"))
        #expect(result.text.contains("2x Bagel 5.00"))
        #expect(result.confidence > 0.5 && result.confidence <= 1)
        #expect(await ocr.engineDescription().hasPrefix("tesseract 5"))
    }

    @Test(.enabled(if: tesseractInstalled, "tesseract-ocr is not installed"))
    func tesseractOnAFileThatIsNotAnImageFailsNamingIt() async throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = folder.appendingPathComponent("notes.png")
        try Data("not an image".utf8).write(to: fake)
        let error = await #expect(throws: ReceiptWorkerError.self) {
            try await ReceiptOCR(mode: .tesseract).recognize(imageURI: fake.path)
        }
        #expect(error?.code == .ocrFailed)
        #expect(error?.message.contains(fake.path) == true)
    }

    /// A stand-in `tesseract` that touches `started` and then sleeps for ten minutes.
    func slowTesseract(in folder: URL) throws -> ReceiptOCR {
        let program = folder.appendingPathComponent("tesseract")
        try Data("#!/bin/sh\ntouch '\(folder.path)/started'\nexec sleep 600\n".utf8).write(to: program)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        return ReceiptOCR(mode: .tesseract, environment: ["PATH": "\(folder.path):/usr/bin:/bin"])
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellingBeforeTheProgramStartsNeverRunsIt() async throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ocr = try slowTesseract(in: folder)
        let image = seedImage.path
        let task = Task { try await ocr.recognize(imageURI: image) }
        task.cancel()
        let error = await #expect(throws: ReceiptWorkerError.self) { try await task.value }
        #expect(error?.message.contains("cancelled") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellingTerminatesTheRunningProgram() async throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ocr = try slowTesseract(in: folder)
        let image = seedImage.path
        let task = Task { try await ocr.recognize(imageURI: image) }
        // Handshake: wait until the program runs, then cancel; only termination ends the wait.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("started").path) {
            try await Task.sleep(for: .milliseconds(5))
        }
        task.cancel()
        let error = await #expect(throws: ReceiptWorkerError.self) { try await task.value }
        #expect(error?.code == .ocrFailed)
        #expect(error?.message.contains("cancelled") == true)
    }
}
