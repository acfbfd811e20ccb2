import Foundation
import OrchJSON

/// One warm fork server (`Python/sandbox_server.py`): it has imported the allowed modules and
/// forks a fresh child per job. A worker runs one job at a time; the pool hands it out.
struct SandboxWorker: Sendable {
    let process: ChildProcess
    let layers: SandboxLayers

    /// Time the server gets beyond a job's own timeout to kill the job, clean up and answer.
    static let answerGrace: Duration = .seconds(5)
    static let startTimeout: Duration = .seconds(30)

    static func start(configuration: SandboxConfiguration) throws(SandboxError) -> SandboxWorker {
        let python = try PythonLocator.resolve(configuration)
        guard let script = Bundle.module.url(forResource: "sandbox_server", withExtension: "py", subdirectory: "Python") else {
            throw .serverFailure("the resource Python/sandbox_server.py is missing from the Sandbox bundle")
        }
        var arguments = ["-I", "-S", "-B", "-X", "utf8", script.path]
        if !configuration.disabledLayers.isEmpty {
            arguments.append("--disable=" + configuration.disabledLayers.map(\.rawValue).sorted().joined(separator: ","))
        }
        let process = try ChildProcess.spawn(executable: python, arguments: arguments, environment: [])
        switch process.readLine(until: .now + startTimeout) {
        case .line(let bytes):
            do {
                let hello = try JSONValue(parsing: Data(bytes))
                guard hello["ready"]?.boolValue == true else {
                    throw SandboxError.serverFailure("its first line was not a ready report")
                }
                return SandboxWorker(process: process, layers: try SandboxLayers(serverReport: hello, pythonExecutable: python))
            } catch {
                process.terminate()
                throw (error as? SandboxError) ?? .serverFailure("its ready report is not JSON: \(error)")
            }
        case .closed:
            let complaint = process.availableStderr()
            process.terminate()
            throw .serverFailure("\(python) exited at start-up\(complaint.isEmpty ? "" : ": \(complaint)")")
        case .timedOut:
            process.terminate()
            throw .serverFailure("it did not report ready within \(startTimeout)")
        }
    }

    enum ExchangeFailure: Error {
        /// The server did not take the job (it had died while idle): the job never ran.
        case notDelivered
        /// The server died or did not answer in time: discard this worker.
        case serverLost
        /// The server answered, but with a line the host cannot read.
        case unreadable(String)
    }

    /// Sends one job and waits for the server's answer.
    func exchange(_ request: [UInt8], timeout: Duration) -> Result<JSONValue, ExchangeFailure> {
        let deadline = ContinuousClock.now + timeout + Self.answerGrace
        guard process.sendAll(request, until: deadline) else { return .failure(.notDelivered) }
        guard case .line(let bytes) = process.readLine(until: deadline) else { return .failure(.serverLost) }
        do {
            return .success(try JSONValue(parsing: Data(bytes), maxDepth: 1024))
        } catch {
            return .failure(.unreadable("\(error)"))
        }
    }

    /// Asks the server to kill the running job (SIGUSR1); it then answers "cancelled".
    func cancelRunningJob() {
        process.signal(SIGUSR1)
    }

    /// Stops the server: an idle one exits when its stdin closes; anything else is killed.
    func stop(gracefully: Bool) {
        process.terminate(grace: gracefully ? .seconds(1) : .zero)
    }
}
