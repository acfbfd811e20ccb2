import Foundation
import OrchJSON
import Synchronization

/// One warm fork server (`Python/sandbox_server.py`): it has imported the allowed modules and
/// forks a fresh child per job. A worker runs one job at a time; the pool hands it out.
struct SandboxWorker: Sendable {
    let process: ChildProcess
    let layers: SandboxLayers
    /// Holds the jobs' scratch directories; removed with the server, so even a job whose
    /// server had to be killed leaves nothing behind (and, if the host itself is killed, by the
    /// next sandbox to start: see `ScratchRoot`).
    let scratchRoot: URL

    /// Time the server gets beyond a job's own timeout to kill the job, clean up and answer.
    static let answerGrace: Duration = .seconds(5)
    static let startTimeout: Duration = .seconds(30)

    static func start(configuration: SandboxConfiguration) throws(SandboxError) -> SandboxWorker {
        let python = try PythonLocator.resolve(configuration)
        let script = try SandboxScripts.server()
        ScratchRoot.removeAbandonedOnce
        let root = try ScratchRoot.create()
        let scratchRoot = root.url
        var arguments = ["-I", "-S", "-B", "-X", "utf8", script.path, "--scratch-root=\(scratchRoot.path)"]
        if !configuration.disabledLayers.isEmpty {
            arguments.append("--disable=" + configuration.disabledLayers.map(\.rawValue).sorted().joined(separator: ","))
        }
        var executable = python
        if let user = configuration.serverUser {
            _ = chown(scratchRoot.path, user.uid, user.gid)
            executable = "/usr/bin/setpriv"
            arguments = ["--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups", python] + arguments
        }
        let process: ChildProcess
        do {
            defer { root.releaseHostCopy() }
            process = try ChildProcess.spawn(executable: executable, arguments: arguments, environment: [],
                                             passing: root.lockDescriptor)
        } catch {
            root.remove()
            throw error
        }
        let failed = { (error: SandboxError) -> SandboxError in
            process.terminate()
            try? FileManager.default.removeItem(at: scratchRoot)
            return error
        }
        switch process.readLine(until: .now + startTimeout) {
        case .line(let bytes):
            do {
                let hello = try JSONValue(parsing: Data(bytes))
                guard hello["ready"]?.boolValue == true else {
                    throw SandboxError.serverFailure("its first line was not a ready report")
                }
                let layers = try SandboxLayers(serverReport: hello, pythonExecutable: python)
                return SandboxWorker(process: process, layers: layers, scratchRoot: scratchRoot)
            } catch {
                throw failed((error as? SandboxError) ?? .serverFailure("its ready report is not JSON: \(error)"))
            }
        case .closed:
            let complaint = process.availableStderr()
            throw failed(.serverFailure("\(python) exited at start-up\(complaint.isEmpty ? "" : ": \(complaint)")"))
        case .timedOut:
            throw failed(.serverFailure("it did not report ready within \(startTimeout)"))
        }
    }

    enum ExchangeFailure: Error {
        /// The server died (before or while running the job): discard this worker. Jobs have
        /// no effects outside their sandbox, so running the job again elsewhere is safe.
        case serverLost
        /// The server did not answer within the job's timeout plus a grace: discard this worker.
        case serverHung
        /// The server answered, but with a line the host cannot read.
        case unreadable(String)
    }

    /// Sends one job and waits for the server's answer; `cancellation` may stop the job meanwhile.
    func exchange(_ request: [UInt8], timeout: Duration, cancellation: JobCancellation) -> Result<JSONValue, ExchangeFailure> {
        let deadline = ContinuousClock.now + timeout + Self.answerGrace
        defer { cancellation.exchangeEnded() }
        guard process.sendAll(request, until: deadline) else { return .failure(.serverLost) }
        cancellation.jobSent()
        let bytes: [UInt8]
        switch process.readLine(until: deadline) {
        case .line(let line): bytes = line
        case .closed: return .failure(.serverLost)
        case .timedOut: return .failure(.serverHung)
        }
        do {
            return .success(try JSONValue(parsing: Data(bytes), maxDepth: 1024))
        } catch {
            return .failure(.unreadable("\(error)"))
        }
    }

    /// Stops the server: an idle one exits when its stdin closes; anything else is killed.
    func stop(gracefully: Bool) {
        process.terminate(grace: gracefully ? .seconds(1) : .zero)
        try? FileManager.default.removeItem(at: scratchRoot)
    }
}

/// Relays a task's cancellation to the fork server as a `{"cancel":true}` line: at most once,
/// never before the job's own line is fully written (the two must not interleave), and never
/// after the exchange has ended (the worker's socket may be closed and its number reused).
/// Sends happen under the lock, so they cannot overlap `jobSent` or `exchangeEnded`.
final class JobCancellation: Sendable {
    private enum State { case sending, sent, requested, done }
    private let state = Mutex(State.sending)
    private let process: ChildProcess

    init(process: ChildProcess) {
        self.process = process
    }

    /// Called by the exchange once the job line is out.
    func jobSent() {
        state.withLock { state in
            switch state {
            case .sending: state = .sent
            case .requested:
                state = .done
                sendCancelLine()
            case .sent, .done: break
            }
        }
    }

    /// Called by the exchange when it has its answer (or gave up).
    func exchangeEnded() {
        state.withLock { $0 = .done }
    }

    /// Called from the task's cancellation handler.
    func cancel() {
        state.withLock { state in
            switch state {
            case .sending: state = .requested
            case .sent:
                state = .done
                sendCancelLine()
            case .requested, .done: break
            }
        }
    }

    private func sendCancelLine() {
        _ = process.sendAll(Array("{\"cancel\":true}\n".utf8), until: .now + .seconds(1))
    }
}
