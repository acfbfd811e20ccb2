import Foundation
import OrchJSON

/// The outcome of running a plan: every step's record, in plan order.
public struct RunResult: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        /// Every step succeeded or was skipped by its `run_if`.
        case succeeded
        case failed
        /// The run was interrupted; `steps` still holds what finished.
        case cancelled
    }

    public var requestID: String
    public var steps: [StepRecord]
    public var startedAt: Date
    public var endedAt: Date
    /// The rendered `final_synthesis` template, when the plan has one.
    public var synthesis: String?

    public var status: Status {
        if steps.contains(where: { $0.status == .cancelled }) { return .cancelled }
        if steps.contains(where: { $0.status == .failed }) { return .failed }
        return .succeeded
    }

    public subscript(stepID: String) -> StepRecord? { steps.first { $0.id == stepID } }
}
