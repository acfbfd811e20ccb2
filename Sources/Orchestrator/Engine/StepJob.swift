import Foundation
import OrchJSON

/// One step's run inside its task: reuse a stored result for its idempotency key, else call
/// the tool, retrying with backoff as the step's policy allows.
struct StepJob: Sendable {
    let step: PlanStep
    let tool: any StepTool
    let input: JSONValue
    let store: IdempotencyStore
    let timeout: Duration
    let jitter: @Sendable () -> Double

    func run(startedAt: Date) async -> StepRecord {
        var record = StepRecord(id: step.id, tool: step.tool, status: .failed, startedAt: startedAt)
        guard let key = step.idempotencyKey else {
            await callTool(into: &record)
            record.endedAt = Date()
            return record
        }
        if let stored = await store.claim(key) {
            record.status = .succeeded
            record.output = stored
            record.reusedKey = key
        } else {
            await callTool(into: &record)
            if let problem = await store.settle(key, output: record.status == .succeeded ? record.output : nil, stepID: step.id) {
                record.metadata["idempotency_store_error"] = .string(problem)
            }
        }
        record.endedAt = Date()
        return record
    }

    private func callTool(into record: inout StepRecord) async {
        let attempts = step.retryPolicy.attempts
        for attempt in 1...attempts {
            record.attempts = attempt
            let context = StepContext(stepID: step.id, attempt: attempt, timeout: timeout)
            let retryAfter: Duration?
            switch await Attempt.run(tool, input: input, context: context) {
            case .success(let output):
                record.status = .succeeded
                record.output = output.value
                record.error = nil
                record.metadata.merge(output.metadata) { _, new in new }
                return
            case .failure(let error, let retryable, let after):
                record.error = error
                guard retryable else { return }
                retryAfter = after
            case .timedOut(let limit):
                record.error = StepError(code: "timeout", message: "the step did not finish within its timeout of \(limit.timeInterval) s (timeout_s)")
                retryAfter = nil
            case .cancelled:
                record.status = .cancelled
                record.error = StepError(code: "cancelled", message: "the run was cancelled while the step ran")
                return
            }
            guard attempt < attempts else { break }
            let delay = retryDelay(after: attempt, policy: step.retryPolicy, jitter: jitter(), retryAfter: retryAfter)
            do {
                try await Task.sleep(for: delay)
            } catch {
                record.status = .cancelled
                record.error = StepError(code: "cancelled", message: "the run was cancelled while the step waited to retry")
                return
            }
        }
        if attempts > 1, let error = record.error {
            record.error?.message = "\(error.message) (after \(attempts) attempts)"
        }
    }
}
