import Foundation
import Synchronization

/// Runs a program to completion with its output in files (so a chatty program can never
/// block on a full pipe), and terminates it when the calling task is cancelled.
struct ChildProcess: Sendable {
    var executable: String
    var arguments: [String]
    var environment: [String: String]

    struct Finished: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    /// Whether the program was started, so cancellation only terminates a running process.
    private enum Phase { case idle, running, cancelled }

    func run() async throws(ReceiptWorkerError) -> Finished {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("receipt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        let outHandle: FileHandle
        let errHandle: FileHandle
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            outHandle = try FileHandle(forWritingTo: outURL)
            errHandle = try FileHandle(forWritingTo: errURL)
        } catch {
            throw ReceiptWorkerError(.ocrFailed, "could not create scratch files in \(scratch.path): \(error)")
        }
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        let process = Process()
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let phase = Mutex(Phase.idle)
        let launchError: Error? = await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Error?, Never>) in
                process.terminationHandler = { _ in done.resume(returning: nil) }
                let failure: Error? = phase.withLock { current in
                    guard current == .idle else { return CancellationError() }
                    do {
                        try process.run()
                        current = .running
                        return nil
                    } catch {
                        return error
                    }
                }
                if let failure { done.resume(returning: failure) }
            }
        } onCancel: {
            phase.withLock { current in
                if current == .running { process.terminate() }
                current = .cancelled
            }
        }
        if launchError is CancellationError || Task.isCancelled {
            throw ReceiptWorkerError(.ocrFailed, "\(executable) was cancelled before it finished")
        }
        if let launchError {
            throw ReceiptWorkerError(.ocrFailed, "could not start \(executable): \(launchError)")
        }
        return Finished(
            status: process.terminationStatus,
            stdout: (try? Data(contentsOf: outURL)) ?? Data(),
            stderr: (try? Data(contentsOf: errURL)) ?? Data())
    }
}
