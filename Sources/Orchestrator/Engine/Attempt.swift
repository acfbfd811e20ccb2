import Dispatch
import Synchronization
import OrchJSON

/// How one call to a tool ended.
enum AttemptOutcome: Sendable {
    case success(ToolOutput)
    case failure(StepError, retryable: Bool, retryAfter: Duration?)
    case timedOut(Duration)
    case cancelled
}

/// Runs one tool call under a deadline. The step ends at the deadline (or on cancellation)
/// even when the tool ignores cancellation: the call runs in its own task, which is
/// cancelled and abandoned, so a misbehaving tool can never hang the run.
enum Attempt {
    static func run(_ tool: any StepTool, input: JSONValue, context: StepContext) async -> AttemptOutcome {
        let gate = AttemptGate()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                gate.install(continuation)
                let work = Task {
                    do {
                        gate.resolve(.success(try await tool.call(input, context: context)))
                    } catch let error as ToolError {
                        let stepError = StepError(code: error.code, message: error.message, details: error.details)
                        gate.resolve(.failure(stepError, retryable: error.retryable, retryAfter: error.retryAfter))
                    } catch is CancellationError {
                        gate.resolve(.cancelled)
                    } catch {
                        // An error the tool did not classify may be transient: let the retry policy decide.
                        gate.resolve(.failure(StepError(code: "tool_error", message: "\(error)"), retryable: true, retryAfter: nil))
                    }
                }
                let timer = Deadline(after: context.timeout) { gate.resolve(.timedOut(context.timeout)) }
                gate.attach(work: work, timer: timer)
            }
        } onCancel: {
            gate.resolve(.cancelled)
        }
    }
}

/// The first of (tool answered, deadline passed, run cancelled) wins; the others are ignored.
private final class AttemptGate: Sendable {
    private struct State {
        var continuation: CheckedContinuation<AttemptOutcome, Never>?
        var outcome: AttemptOutcome?
        var work: Task<Void, Never>?
        var timer: Deadline?
    }
    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<AttemptOutcome, Never>) {
        let early: AttemptOutcome? = state.withLock { state in
            if state.outcome == nil { state.continuation = continuation }
            return state.outcome
        }
        if let early { continuation.resume(returning: early) }
    }

    func attach(work: Task<Void, Never>, timer: Deadline) {
        let alreadyDone = state.withLock { state in
            if state.outcome == nil {
                state.work = work
                state.timer = timer
            }
            return state.outcome != nil
        }
        if alreadyDone {
            timer.cancel()
            work.cancel()
        }
    }

    func resolve(_ outcome: AttemptOutcome) {
        let winner = state.withLock { state -> (CheckedContinuation<AttemptOutcome, Never>?, Task<Void, Never>?, Deadline?)? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.continuation = nil; state.work = nil; state.timer = nil }
            return (state.continuation, state.work, state.timer)
        }
        guard let (continuation, work, timer) = winner else { return }
        timer?.cancel()
        if case .success = outcome {} else { work?.cancel() }
        continuation?.resume(returning: outcome)
    }
}

/// A one-shot timer on Dispatch: cheaper than a sleeping task per attempt, and cancellable.
struct Deadline: @unchecked Sendable {
    // DispatchWorkItem is not marked Sendable, but `cancel()` is documented as thread-safe,
    // and that is all this type exposes.
    private let item: DispatchWorkItem

    init(after delay: Duration, _ action: @escaping @Sendable () -> Void) {
        item = DispatchWorkItem(block: action)
        DispatchQueue.global().asyncAfter(deadline: .now() + delay.timeInterval, execute: item)
    }

    func cancel() { item.cancel() }
}

extension Duration {
    /// Seconds as a `TimeInterval`, for Dispatch and Foundation APIs.
    var timeInterval: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
