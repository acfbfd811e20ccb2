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
    /// The rendered `final_synthesis` template, or the model's answer to it (`Synthesis`).
    public var synthesis: String?
    /// Model calls outside the steps: the planner's (when the plan was made in this run) and
    /// the synthesis's.
    public var modelCalls: [ModelCall] = []
    /// Why a model-written synthesis fell back to the rendered template.
    public var synthesisFallback: String?

    /// Every model call of the run: the planner's, each step's in plan order, the synthesis's.
    public var allModelCalls: [ModelCall] {
        modelCalls.filter { $0.role == .planner } + steps.flatMap(\.modelCalls) + modelCalls.filter { $0.role != .planner }
    }

    public var status: Status {
        // By index: iterating copied every step record, a fair part of `exec --json`.
        var failed = false
        for i in steps.indices {
            switch steps[i].status {
            case .cancelled: return .cancelled
            case .failed: failed = true
            default: break
            }
        }
        return failed ? .failed : .succeeded
    }

    public subscript(stepID: String) -> StepRecord? { steps.first { $0.id == stepID } }
}
