import Foundation
@testable import Sandbox
import Testing

/// A fork server that gets no CPU past a job's deadline (a loaded host) must still report the
/// overrun as the job's timeout, not as the CPU limit its spinning job reaches meanwhile.
@Suite struct StarvedServerTests {
    @Test(.enabled(if: Python.available, Python.missing))
    func aDeadlinePassedWhileTheServerWasStoppedIsATimeout() async throws {
        let configuration = SandboxConfiguration(poolSize: 1)
        let worker = try SandboxWorker.start(configuration: configuration)
        defer { worker.stop(gracefully: false) }
        let job = try ResolvedJob(SandboxJob(code: "while True:\n    pass", timeout: .seconds(1)), configuration: configuration)
        #expect(job.cpuSeconds == 2)
        // The server stops once its job spins, and wakes after the job's 2 s of CPU are spent:
        // the job dies of SIGXCPU before the server looks at its 1 s deadline.
        let pid = worker.process.pid
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { kill(pid, SIGSTOP) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 5) { kill(pid, SIGCONT) }
        let request = try job.requestLine()
        // The exchange blocks for 5 s: on a thread of its own, as PythonSandbox runs it, not on
        // the cooperative pool the other tests share.
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
