import Foundation
import OrchJSON

/// Runs validated plans. Each step starts the moment its own dependencies have succeeded
/// (no level-by-level waits), up to `maxConcurrency` at once. A failed step fails only its
/// dependents; independent branches finish. Cancelling the calling task (Ctrl-C) cancels the
/// running steps and returns a result holding what finished.
public struct PlanEngine: Sendable {
    public var options: EngineOptions

    public init(options: EngineOptions = EngineOptions()) { self.options = options }

    public func run(_ plan: ValidatedPlan) async -> RunResult {
        let startedAt = Date()
        let store = options.idempotencyStore ?? IdempotencyStore()
        var scheduler = Scheduler(plan: plan, options: options, store: store)
        let steps = await scheduler.run()
        var result = RunResult(requestID: plan.plan.requestID, steps: steps, startedAt: startedAt, endedAt: Date())
        if let synthesis = plan.plan.finalSynthesis {
            result.synthesis = Synthesis.render(synthesis, plan: plan.plan, steps: steps)
        }
        return result
    }
}

/// The run's bookkeeping. It lives in one task (the caller's); steps report back through a
/// stream, so no lock guards this state.
private struct Scheduler {
    enum Event: Sendable {
        case finished(Int, StepRecord)
        case cancelRequested
    }

    let plan: ValidatedPlan
    let options: EngineOptions
    let store: IdempotencyStore
    var records: [StepRecord?]
    var outputs: [JSONValue?]
    var waitingOn: [Int]
    var ready: [Int] = []
    var readyHead = 0
    var sequentialQueue: [Int] = []
    var sequentialHead = 0
    var sequentialBusy = false
    var running: [Int: (task: Task<Void, Never>, startedAt: Date)] = [:]
    var finishedCount = 0

    init(plan: ValidatedPlan, options: EngineOptions, store: IdempotencyStore) {
        self.plan = plan
        self.options = options
        self.store = store
        let count = plan.plan.steps.count
        records = Array(repeating: nil, count: count)
        outputs = Array(repeating: nil, count: count)
        waitingOn = plan.dependencies.map(\.count)
    }

    mutating func run() async -> [StepRecord] {
        let (events, sink) = AsyncStream<Event>.makeStream()
        for index in waitingOn.indices where waitingOn[index] == 0 { enqueue(index) }
        launchReady(sink)
        await withTaskCancellationHandler {
            var iterator = events.makeAsyncIterator()
            while finishedCount < records.count, let event = await iterator.next() {
                switch event {
                case .finished(let index, let record):
                    guard running.removeValue(forKey: index) != nil else { continue }
                    if plan.plan.steps[index].mode == .sequential { sequentialBusy = false }
                    finish(index, record)
                    launchReady(sink)
                case .cancelRequested:
                    cancelEverything()
                }
            }
        } onCancel: {
            sink.yield(.cancelRequested)
        }
        sink.finish()
        return records.enumerated().map { index, record in
            record ?? StepRecord(id: plan.plan.steps[index].id, tool: plan.plan.steps[index].tool, status: .cancelled)
        }
    }

    private mutating func enqueue(_ index: Int) {
        if plan.plan.steps[index].mode == .sequential { sequentialQueue.append(index) } else { ready.append(index) }
    }

    private var hasCapacity: Bool { options.maxConcurrency.map { running.count < $0 } ?? true }

    private mutating func launchReady(_ sink: AsyncStream<Event>.Continuation) {
        while hasCapacity, !sequentialBusy, sequentialHead < sequentialQueue.count {
            let index = sequentialQueue[sequentialHead]
            sequentialHead += 1
            if start(index, sink) { sequentialBusy = true }
        }
        while hasCapacity, readyHead < ready.count {
            let index = ready[readyHead]
            readyHead += 1
            start(index, sink)
        }
    }

    /// Resolves the step's input and condition, then launches it; returns whether it runs.
    @discardableResult
    private mutating func start(_ index: Int, _ sink: AsyncStream<Event>.Continuation) -> Bool {
        let step = plan.plan.steps[index]
        let startedAt = Date()
        if let condition = step.runIf, let reference = plan.conditionReferences[index] {
            switch decide(condition, reference) {
            case .success(true): break
            case .success(false):
                finish(index, record(index, .skipped, error: StepError(code: "condition_false", message: "run_if '\(condition)' is false"), startedAt: startedAt))
                return false
            case .failure(let error):
                finish(index, record(index, .failed, error: error, startedAt: startedAt))
                return false
            }
        }
        let input: JSONValue
        switch resolveInput(index) {
        case .success(let resolved): input = resolved
        case .failure(let error):
            finish(index, record(index, .failed, error: error, startedAt: startedAt))
            return false
        }
        let job = StepJob(step: step, tool: plan.tools[index], input: input, store: store,
                          timeout: step.timeout ?? options.defaultTimeout, jitter: options.jitter)
        let task = Task {
            let record = await job.run(startedAt: startedAt)
            sink.yield(.finished(index, record))
        }
        running[index] = (task, startedAt)
        return true
    }

    private func decide(_ condition: RunCondition, _ located: LocatedReference) -> Result<Bool, StepError> {
        let value: JSONValue
        do {
            value = try (outputs[located.source] ?? .null).value(at: located.reference.path)
        } catch {
            return .failure(StepError(code: "condition_failed", message: "run_if '\(condition)': \(error)"))
        }
        return condition.holds(for: value).mapError { StepError(code: "condition_failed", message: "run_if '\(condition)': \($0.message)") }
    }

    private func resolveInput(_ index: Int) -> Result<JSONValue, StepError> {
        var input = plan.plan.steps[index].input
        for located in plan.references[index] {
            let source = outputs[located.source] ?? .null
            let value: JSONValue
            do {
                value = try source.value(at: located.reference.path)
            } catch {
                return .failure(StepError(code: "bad_reference", message: "input.\(located.location): '\(located.reference)': \(error)"))
            }
            input = input.updating(located.location) { _ in value }
        }
        return .success(input)
    }

    private func record(_ index: Int, _ status: StepStatus, error: StepError, startedAt: Date? = nil) -> StepRecord {
        let step = plan.plan.steps[index]
        return StepRecord(id: step.id, tool: step.tool, status: status, error: error, startedAt: startedAt, endedAt: startedAt.map { _ in Date() })
    }

    /// Records a step's end and passes its consequences on: dependents of a success may
    /// become ready; dependents of anything else end without running.
    private mutating func finish(_ index: Int, _ record: StepRecord) {
        guard records[index] == nil else { return }
        records[index] = record
        finishedCount += 1
        let stepID = plan.plan.steps[index].id
        for dependent in plan.dependents[index] where records[dependent] == nil {
            switch record.status {
            case .succeeded:
                outputs[index] = record.output
                waitingOn[dependent] -= 1
                if waitingOn[dependent] == 0 { enqueue(dependent) }
            case .skipped:
                finish(dependent, self.record(dependent, .skipped, error: StepError(code: "dependency_skipped", message: "not run: step '\(stepID)' was skipped")))
            case .failed, .cancelled:
                finish(dependent, self.record(dependent, .failed, error: StepError(code: "dependency_failed", message: "not run: step '\(stepID)' \(record.status == .failed ? "failed" : "was cancelled")")))
            }
        }
        if record.status == .succeeded { outputs[index] = record.output }
    }

    private mutating func cancelEverything() {
        let now = Date()
        for (index, entry) in running {
            entry.task.cancel()
            let step = plan.plan.steps[index]
            records[index] = StepRecord(id: step.id, tool: step.tool, status: .cancelled,
                                        error: StepError(code: "cancelled", message: "the run was cancelled while the step ran"),
                                        startedAt: entry.startedAt, endedAt: now)
        }
        running.removeAll()
        for index in records.indices where records[index] == nil {
            let step = plan.plan.steps[index]
            records[index] = StepRecord(id: step.id, tool: step.tool, status: .cancelled,
                                        error: StepError(code: "cancelled", message: "the run was cancelled before the step started"))
        }
        finishedCount = records.count
    }
}
