import Foundation
import OrchJSON

/// How a step ended.
public enum StepStatus: String, Sendable, Equatable, Codable {
    case succeeded, failed, skipped, cancelled
}

/// Why a step failed or was not run, as data: `code` for programs, `message` for people.
public struct StepError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var details: JSONValue?

    public init(code: String, message: String, details: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(code): \(message)" }
}

/// Everything the run knows about one step.
public struct StepRecord: Sendable, Equatable {
    public var id: String
    public var tool: String
    public var status: StepStatus
    public var output: JSONValue?
    public var error: StepError?
    /// Calls made to the tool; 0 when the step was skipped, reused or never started.
    public var attempts: Int
    public var startedAt: Date?
    public var endedAt: Date?
    /// The idempotency key whose stored result was reused instead of calling the tool.
    public var reusedKey: String?
    /// Facts the tool reported about how it produced the output.
    public var metadata: [String: JSONValue]
    /// The model calls the step's tool made, each naming this step.
    public var modelCalls: [ModelCall] = []

    public init(id: String, tool: String, status: StepStatus, output: JSONValue? = nil, error: StepError? = nil,
                attempts: Int = 0, startedAt: Date? = nil, endedAt: Date? = nil, reusedKey: String? = nil,
                metadata: [String: JSONValue] = [:]) {
        self.id = id
        self.tool = tool
        self.status = status
        self.output = output
        self.error = error
        self.attempts = attempts
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.reusedKey = reusedKey
        self.metadata = metadata
    }

    public var duration: TimeInterval? {
        guard let startedAt, let endedAt else { return nil }
        return endedAt.timeIntervalSince(startedAt)
    }
}
