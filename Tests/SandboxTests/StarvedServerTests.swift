import Foundation
@testable import Sandbox
import Testing

/// A fork server that gets no CPU past a job's deadline (a loaded host) must still report the
/// overrun as the job's timeout, not as the CPU limit its spinning job reaches meanwhile.
@Suite struct StarvedServerTests {
    @Test(.enabled(if: Python.available, Python.missing))
    func aDeadlinePassedWhileTheServerWasStoppedIsATimeout() async throws {
        let configuration = SandboxConfiguration(poolSize: 1)
        // Starting a server and the exchange block (for seconds on a loaded host): on threads
        // of their own, as PythonSandbox runs them, not on the cooperative pool other tests share.
        let worker = try await PythonSandbox.offload { PythonSandbox.startWorker(configuration) }.get()
        defer { worker.stop(gracefully: false) }
        // A CPU limit equal to the timeout keeps the CPU this test burns to one second.
        let job = try ResolvedJob(SandboxJob(code: "while True:\n    pass", timeout: .seconds(1), cpuSeconds: 1), configuration: configuration)
        // The server stops once its job spins, and wakes after the job's 1 s of CPU is spent:
        // the job dies of SIGXCPU before the server looks at its 1 s deadline.
        let pid = worker.process.pid
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { kill(pid, SIGSTOP) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 4) { kill(pid, SIGCONT) }
        let request = try job.requestLine()
        let response = try await PythonSandbox.offload {
            worker.exchange(request, timeout: job.timeout, cancellation: JobCancellation(process: worker.process))
        }.get()
        guard case .failure(let error) = SandboxResult.from(response: response, job: job, layers: worker.layers) else {
            Issue.record("the spinning job returned a result")
            return
        }
        #expect(error == .timeout(limit: .seconds(1)))
    }
}
