import OrchJSON

/// Something a plan step can run: a registered function, a sandboxed code snippet, an MCP
/// tool. The engine resolves references, validates `input` against `descriptor.inputSchema`,
/// applies timeout and retries, and calls `call` once per attempt.
///
/// A test double is a few lines:
/// ```swift
/// struct Echo: StepTool {
///     let descriptor = ToolDescriptor(name: "echo", kind: .function, description: "Returns its input")
///     func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput { ToolOutput(input) }
/// }
/// ```
public protocol StepTool: Sendable {
    var descriptor: ToolDescriptor { get }
    /// Runs one attempt. Throw `ToolError` for failures the plan author should read; the
    /// engine cancels the task when the step's timeout passes, so long work must honour
    /// cancellation.
    func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput
}

/// What a tool knows about the step it runs for.
public struct StepContext: Sendable {
    public var stepID: String
    /// 1 for the first attempt.
    public var attempt: Int
    /// The step's timeout; the engine enforces it, tools may pass it on (e.g. to a subprocess).
    public var timeout: Duration

    public init(stepID: String, attempt: Int = 1, timeout: Duration = .seconds(30)) {
        self.stepID = stepID
        self.attempt = attempt
        self.timeout = timeout
    }
}

/// A tool's answer: the step output plus facts about how it was produced (which OCR engine,
/// which sandbox layers were active, …) that the run result keeps beside the output.
public struct ToolOutput: Sendable, Equatable {
    public var value: JSONValue
    public var metadata: [String: JSONValue]
    /// The model calls made to produce the output (a worker asking its model), for the ledger.
    public var modelCalls: [ModelCall]

    public init(_ value: JSONValue, metadata: [String: JSONValue] = [:], modelCalls: [ModelCall] = []) {
        self.value = value
        self.metadata = metadata
        self.modelCalls = modelCalls
    }
}
