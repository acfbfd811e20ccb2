import Dispatch
import OrchJSON

/// How one call to a tool ended.
enum AttemptOutcome: Sendable {
    case success(ToolOutput)
    case failure(StepError, retryable: Bool, retryAfter: Duration?)
    case timedOut(Duration)

    /// Calls the tool once and classifies what happened.
    static func of(_ tool: any StepTool, input: JSONValue, context: StepContext) async -> AttemptOutcome {
        do {
            return .success(try await tool.call(input, context: context))
        } catch let error as ToolError {
            return .failure(StepError(code: error.code, message: error.message, details: error.details),
                            retryable: error.retryable, retryAfter: error.retryAfter)
        } catch is CancellationError {
            // Reports of attempts the engine cancelled (at a timeout, or when the run is
            // cancelled) are ignored, so this is the tool giving up on its own: a failure, since
            // the run was not interrupted.
            return .failure(StepError(code: "cancelled", message: "the tool stopped with a CancellationError though the run was not cancelled"),
                            retryable: false, retryAfter: nil)
        } catch {
            // An error the tool did not classify may be transient: let the retry policy decide.
            return .failure(StepError(code: "tool_error", message: "\(error)"), retryable: true, retryAfter: nil)
        }
    }
}

/// A one-shot timer on Dispatch: far cheaper than a sleeping task per attempt, and cancellable.
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
