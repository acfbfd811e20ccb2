import Foundation
import Synchronization
@testable import Orchestrator
import OrchJSON

/// Returns its input, optionally after a pause; counts calls and the most calls in flight at once.
final class EchoTool: StepTool {
    let descriptor: ToolDescriptor
    let pause: Duration
    private let counters = Mutex((calls: 0, inFlight: 0, maxInFlight: 0))

    init(name: String = "echo", pause: Duration = .zero) {
        descriptor = ToolDescriptor(name: name, kind: .function, description: "Returns its input")
        self.pause = pause
    }

    var calls: Int { counters.withLock { $0.calls } }
    var maxInFlight: Int { counters.withLock { $0.maxInFlight } }

    func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        counters.withLock { c in
            c.calls += 1
            c.inFlight += 1
            c.maxInFlight = max(c.maxInFlight, c.inFlight)
        }
        defer { counters.withLock { $0.inFlight -= 1 } }
        if pause > .zero { try await Task.sleep(for: pause) }
        return ToolOutput(input)
    }
}

/// Fails with a retryable error until its `failures` are used up, then returns `{"ok": true}`.
final class FlakyTool: StepTool {
    let descriptor = ToolDescriptor(name: "flaky", kind: .function, description: "Fails, then works")
    private let remaining: Mutex<Int>
    let retryable: Bool
    let retryAfter: Duration?

    /// Called as each call begins, so a test can act once an attempt surely happened.
    let onCall: @Sendable () -> Void

    init(failures: Int, retryable: Bool = true, retryAfter: Duration? = nil, onCall: @escaping @Sendable () -> Void = {}) {
        remaining = Mutex(failures)
        self.retryable = retryable
        self.retryAfter = retryAfter
        self.onCall = onCall
    }

    func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        onCall()
        let fail = remaining.withLock { left in
            defer { left -= 1 }
            return left > 0
        }
        if fail { throw ToolError(code: "unavailable", message: "try again (attempt \(context.attempt))", retryable: retryable, retryAfter: retryAfter) }
        return ToolOutput(["ok": true])
    }
}

/// Never answers and ignores cancellation, like a wedged server.
struct HangingTool: StepTool {
    let descriptor = ToolDescriptor(name: "hang", kind: .function, description: "Never returns")
    /// Called when a call begins, so a test can act once the step is surely running.
    var onStart: @Sendable () -> Void = {}

    func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        onStart()
        await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
        return ToolOutput(.null)
    }
}

/// Sleeps until its task is cancelled and remembers that it was, so a test can check that
/// the engine cancelled it.
final class SleepUntilCancelledTool: StepTool {
    let descriptor = ToolDescriptor(name: "sleep", kind: .function, description: "Waits until cancelled")
    private let cancelled = Mutex(false)
    private let onStart: @Sendable () -> Void

    init(onStart: @escaping @Sendable () -> Void = {}) { self.onStart = onStart }

    var wasCancelled: Bool { cancelled.withLock { $0 } }

    func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        try await withTaskCancellationHandler {
            onStart()
            try await Task.sleep(for: .seconds(3600))
            return ToolOutput(.null)
        } onCancel: {
            cancelled.withLock { $0 = true }
        }
    }
}

/// Opens gates other steps wait at, to check the order steps start in without timing anything.
final class GateTool: StepTool {
    let descriptor = ToolDescriptor(name: "gate", kind: .function, description: "open: NAME opens a gate; wait: NAME waits for it")
    private let opened = Mutex<Set<String>>([])

    func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        if let name = input["open"]?.stringValue {
            _ = opened.withLock { $0.insert(name) }
            return ToolOutput(["opened": .string(name)])
        }
        let name = input["wait"]?.stringValue ?? ""
        // Polls rather than blocks so the test fails (by step timeout) instead of hanging.
        while !opened.withLock({ $0.contains(name) }) {
            try await Task.sleep(for: .milliseconds(2))
        }
        return ToolOutput(["passed": .string(name)])
    }
}

/// Always fails, not retryably.
struct FailingTool: StepTool {
    let descriptor = ToolDescriptor(name: "fail", kind: .function, description: "Always fails")

    func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        throw ToolError(code: "broken", message: "this tool always fails")
    }
}

/// Decodes, validates and runs a plan written as JSON text.
func runPlan(_ text: String, tools: [any StepTool], options: EngineOptions = EngineOptions()) async throws -> RunResult {
    let plan = try validate(text, tools: tools)
    return await PlanEngine(options: options).run(plan)
}

func validate(_ text: String, tools: [any StepTool]) throws -> ValidatedPlan {
    try PlanValidator(catalog: ToolCatalog(tools)).validate(json: JSONValue(parsing: text))
}

/// The problems validation reports for a plan, as printed.
func problems(_ text: String, tools: [any StepTool] = [EchoTool()]) -> [String] {
    do {
        _ = try validate(text, tools: tools)
        return []
    } catch let error as PlanValidationError {
        return error.problems.map(\.description)
    } catch {
        return ["not a validation error: \(error)"]
    }
}
