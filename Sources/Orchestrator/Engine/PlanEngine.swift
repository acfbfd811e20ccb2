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
        let scheduler = Scheduler(plan: plan, options: options, store: options.idempotencyStore ?? IdempotencyStore())
        let sink = scheduler.sink
        // The loop runs in a task of its own: an AsyncStream ends as soon as the task reading it
        // is cancelled, which would drop the cancel request and leave running steps uncancelled.
        let cancelledAlready = Task.isCancelled
        let loop = Task {
            var scheduler = scheduler
            return await scheduler.run(cancelledAlready: cancelledAlready)
        }
        let steps = await withTaskCancellationHandler {
            await loop.value
        } onCancel: {
            sink.yield(.cancelRequested)
        }
        var result = RunResult(requestID: plan.plan.requestID, steps: steps, startedAt: startedAt, endedAt: Date())
        if let synthesis = plan.plan.finalSynthesis {
            let rendered = Synthesis.render(synthesis, plan: plan.plan, steps: steps)
            result.synthesis = rendered
            if let model = options.synthesisModel {
                let written = await Synthesis.write(rendered, with: model)
                result.synthesis = written.text
                result.modelCalls.append(written.call)
                result.synthesisFallback = written.fallbackReason
            }
            result.endedAt = Date()
        }
        return result
    }
}

/// The run's bookkeeping. It lives in one task; attempts and the timer queue report
/// back through one stream, so no lock guards this state. Each attempt is one task racing its
/// timeout: whichever reports first decides, and the loser's report is ignored, so a tool
/// that ignores cancellation cannot hold the run past its timeout.
private struct Scheduler {
    enum Event: Sendable {
        case attemptEnded(step: Int, attempt: Int, AttemptOutcome)
        /// Another process held the step's idempotency key; this is how the wait ended.
        case claimSettled(step: Int, IdempotencyStore.Claim)
        case timersDue
        case cancelRequested
    }

    /// A step between launch and end.
    struct Running {
        var record: StepRecord
        var input: JSONValue
        /// The current attempt's task; nil while the step waits to retry.
        var task: Task<Void, Never>?
    }

    let plan: ValidatedPlan
    let options: EngineOptions
    let store: IdempotencyStore
    let sink: AsyncStream<Event>.Continuation
    let events: AsyncStream<Event>
    var records: [StepRecord?]
    var outputs: [JSONValue?]
    var waitingOn: [Int]
    /// Steps between launch and end, by index (an array: the hot path avoids hashing).
    var running: [Running?]
    var runningCount = 0
    var ready = Queue()
    var sequentialReady = Queue()
    var sequentialBusy = false
    var finishedCount = 0
    /// Idempotency keys being computed by a step now, and the steps waiting for that result.
    var keyOwners: [String: Int] = [:]
    var keyWaiters: [String: [Int]] = [:]
    var timers: TimerQueue

    init(plan: ValidatedPlan, options: EngineOptions, store: IdempotencyStore) {
        self.plan = plan
        self.options = options
        self.store = store
        let (events, sink) = AsyncStream<Event>.makeStream()
        (self.events, self.sink) = (events, sink)
        timers = TimerQueue { sink.yield(.timersDue) }
        let count = plan.plan.steps.count
        records = Array(repeating: nil, count: count)
        running = Array(repeating: nil, count: count)
        outputs = Array(repeating: nil, count: count)
        waitingOn = plan.dependencies.map(\.count)
    }

    var steps: [PlanStep] { plan.plan.steps }

    /// With `cancelledAlready` no step starts: every one is `cancelled` at once.
    mutating func run(cancelledAlready: Bool) async -> [StepRecord] {
        if cancelledAlready {
            cancelEverything()
        } else {
            for index in waitingOn.indices where waitingOn[index] == 0 { enqueue(index) }
            launchReady()
        }
        var iterator = events.makeAsyncIterator()
        while finishedCount < records.count, let event = await iterator.next() {
            switch event {
            case .attemptEnded(let index, let attempt, let outcome):
                attemptEnded(index, attempt, outcome)
            case .claimSettled(let index, let claim):
                claimSettled(index, claim)
            case .timersDue:
                for entry in timers.takeDue() { timerDue(entry) }
            case .cancelRequested:
                cancelEverything()
            }
            launchReady()
        }
        timers.cancelAll()
        sink.finish()
        return records.enumerated().map { index, record in
            record ?? StepRecord(id: steps[index].id, tool: steps[index].tool, status: .cancelled)
        }
    }

    // MARK: Starting steps

    private mutating func enqueue(_ index: Int) {
        if steps[index].mode == .sequential { sequentialReady.push(index) } else { ready.push(index) }
    }

    /// A cap below 1 counts as 1: with 0 no step could ever start and the run would never end.
    private var hasCapacity: Bool { options.maxConcurrency.map { runningCount < max($0, 1) } ?? true }

    private mutating func launchReady() {
        while hasCapacity, !sequentialBusy, let index = sequentialReady.pop() {
            start(index)
        }
        while hasCapacity, let index = ready.pop() {
            start(index)
        }
    }

    /// Decides `run_if`, resolves references and the idempotency key, then makes the first attempt.
    private mutating func start(_ index: Int) {
        let step = steps[index]
        var record = StepRecord(id: step.id, tool: step.tool, status: .failed, startedAt: Date())
        if let condition = step.runIf, let located = plan.conditionReferences[index] {
            switch decide(condition, located) {
            case .success(true): break
            case .success(false):
                record.status = .skipped
                record.error = StepError(code: "condition_false", message: "run_if '\(condition)' is false")
                return finish(index, record)
            case .failure(let error):
                record.error = error
                return finish(index, record)
            }
        }
        let input: JSONValue
        switch resolveInput(index) {
        case .success(let resolved): input = resolved
        case .failure(let error):
            record.error = error
            return finish(index, record)
        }
        if let key = step.idempotencyKey {
            if let stored = store.output(for: key) {
                record.status = .succeeded
                record.output = stored
                record.reusedKey = key
                return finish(index, record)
            }
            if keyOwners[key] != nil {
                keyWaiters[key, default: []].append(index)
                return
            }
            keyOwners[key] = index
        }
        if step.mode == .sequential { sequentialBusy = true }
        running[index] = Running(record: record, input: input)
        runningCount += 1
        if let key = step.idempotencyKey {
            claimSettled(index, store.claim(key))
        } else {
            launchAttempt(index)
        }
    }

    /// Acts on the claim of a step's idempotency key in a store shared with other processes.
    private mutating func claimSettled(_ index: Int, _ claim: IdempotencyStore.Claim) {
        // A report for a step that ended meanwhile (the run was cancelled) changes nothing.
        guard var entry = running[index], entry.record.attempts == 0, let key = steps[index].idempotencyKey else { return }
        switch claim {
        case .claimed:
            launchAttempt(index)
        case .unavailable(let problem):
            entry.record.metadata["idempotency_store_error"] = .string(problem)
            running[index] = entry
            launchAttempt(index)
        case .stored(let output):
            entry.record.status = .succeeded
            entry.record.output = output
            entry.record.reusedKey = key
            end(index, entry.record)
        case .held(let pid, _):
            let (store, sink) = (self.store, self.sink)
            entry.task = Task { sink.yield(.claimSettled(step: index, await store.waitForResult(key, heldBy: pid))) }
            running[index] = entry
        case .timedOut(let message):
            entry.record.error = StepError(code: "idempotency_wait_timeout", message: message)
            end(index, entry.record)
        }
    }

    private mutating func launchAttempt(_ index: Int) {
        guard var entry = running[index] else { return }
        let step = steps[index]
        entry.record.attempts += 1
        let attempt = entry.record.attempts
        let timeout = step.timeout ?? options.defaultTimeout
        let context = StepContext(stepID: step.id, attempt: attempt, timeout: timeout)
        let tool = plan.tools[index]
        let input = entry.input
        let sink = self.sink
        entry.task = Task {
            sink.yield(.attemptEnded(step: index, attempt: attempt, await AttemptOutcome.of(tool, input: input, context: context)))
        }
        running[index] = entry
        schedule(after: timeout, step: index, .timeout(attempt: attempt, limit: timeout))
    }

    /// Every attempt leaves a timeout entry that goes stale when the attempt ends early; a step
    /// retrying fast (1e9 retries, no backoff) would pile up millions of them until they fell due.
    /// Each step between launch and end has at most two live entries, so past four per running
    /// step (and a floor) the stale ones are dropped: amortized, a constant cost per entry.
    private mutating func schedule(after delay: Duration, step: Int, _ purpose: TimerQueue.Purpose) {
        timers.schedule(after: delay, step: step, purpose)
        guard timers.count > 4 * max(runningCount, 4096) else { return }
        timers.removeAll { entry in
            guard let step = running[entry.step] else { return true }
            switch entry.purpose {
            case .timeout(let attempt, _): return step.task == nil || step.record.attempts != attempt
            case .retry(let attempt): return step.task != nil || step.record.attempts != attempt
            }
        }
    }

    private mutating func timerDue(_ entry: TimerQueue.Entry) {
        guard let step = running[entry.step] else { return }
        switch entry.purpose {
        case .timeout(let attempt, let limit):
            attemptEnded(entry.step, attempt, .timedOut(limit))
        case .retry(let attempt):
            if step.task == nil, step.record.attempts == attempt { launchAttempt(entry.step) }
        }
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
        var input = steps[index].input
        for located in plan.references[index] {
            let value: JSONValue
            do {
                value = try (outputs[located.source] ?? .null).value(at: located.reference.path)
            } catch {
                return .failure(StepError(code: "bad_reference", message: "input.\(located.location): '\(located.reference)': \(error)"))
            }
            input = input.updating(located.location) { _ in value }
        }
        return .success(input)
    }

    // MARK: Ending attempts and steps

    private mutating func attemptEnded(_ index: Int, _ attempt: Int, _ outcome: AttemptOutcome) {
        // A report for an attempt that already ended (the loser of the tool/timer race) changes nothing.
        guard var entry = running[index], entry.record.attempts == attempt, entry.task != nil else { return }
        let policy = steps[index].retryPolicy
        let retryAfter: Duration?
        switch outcome {
        case .success(let output):
            if let problem = output.problem {
                entry.record.error = problem
                return end(index, entry.record)
            }
            entry.record.status = .succeeded
            entry.record.output = output.value
            entry.record.error = nil
            if !output.metadata.isEmpty { entry.record.metadata.merge(output.metadata) { _, new in new } }
            entry.record.modelCalls += output.modelCalls.map { call in
                var call = call
                call.stepID = entry.record.id
                return call
            }
            return end(index, entry.record)
        case .failure(let error, let retryable, let after):
            entry.record.error = error
            guard retryable else { return end(index, entry.record) }
            retryAfter = after
        case .timedOut(let limit):
            entry.task?.cancel()
            entry.record.error = StepError(code: "timeout", message: "the step did not finish within its timeout of \(limit.timeInterval) s (timeout_s)")
            retryAfter = nil
        }
        guard attempt < policy.attempts else {
            if policy.attempts > 1 { entry.record.error?.message += " (after \(attempt) attempts)" }
            return end(index, entry.record)
        }
        entry.task = nil
        let delay = retryDelay(after: attempt, policy: policy, jitter: options.jitter(), retryAfter: retryAfter)
        running[index] = entry
        schedule(after: delay, step: index, .retry(attempt: attempt))
    }

    /// Ends a step that ran: frees its slot and settles its idempotency key.
    private mutating func end(_ index: Int, _ record: StepRecord) {
        running[index] = nil
        runningCount -= 1
        if steps[index].mode == .sequential { sequentialBusy = false }
        var record = record
        record.endedAt = Date()
        if let key = steps[index].idempotencyKey, keyOwners[key] == index {
            keyOwners[key] = nil
            var waiters = keyWaiters.removeValue(forKey: key) ?? []
            if record.status == .succeeded, let output = record.output {
                if record.reusedKey == nil, let problem = store.save(output, for: key) {
                    record.metadata["idempotency_store_error"] = .string(problem)
                }
                for waiter in waiters {
                    let step = steps[waiter]
                    finish(waiter, StepRecord(id: step.id, tool: step.tool, status: .succeeded, output: output,
                                              startedAt: Date(), endedAt: Date(), reusedKey: key))
                }
            } else {
                if record.attempts > 0 { store.release(key) }
                guard !waiters.isEmpty else { return finish(index, record) }
                // The next step with this key computes it now.
                enqueue(waiters.removeFirst())
                if !waiters.isEmpty { keyWaiters[key] = waiters }
            }
        }
        finish(index, record)
    }

    /// Records a step's end and passes its consequences on: dependents of a success may
    /// become ready; dependents of anything else end without running.
    /// Steps that end without running are passed on through a work list, not recursion, so a
    /// long chain behind a failed step cannot overflow the stack.
    private mutating func finish(_ index: Int, _ record: StepRecord) {
        var notRunSteps: [(Int, StepRecord)] = []  // stays empty, so unallocated, when the step succeeded
        settle(index, record, passingOnTo: &notRunSteps)
        while let (next, nextRecord) = notRunSteps.popLast() { settle(next, nextRecord, passingOnTo: &notRunSteps) }
    }

    private mutating func settle(_ index: Int, _ record: StepRecord, passingOnTo notRunSteps: inout [(Int, StepRecord)]) {
        guard records[index] == nil else { return }
        var record = record
        if record.endedAt == nil, record.startedAt != nil { record.endedAt = Date() }
        records[index] = record
        finishedCount += 1
        options.onStepEnd?(record)
        if record.status == .succeeded { outputs[index] = record.output }
        for dependent in plan.dependents[index] where records[dependent] == nil {
            switch record.status {
            case .succeeded:
                waitingOn[dependent] -= 1
                if waitingOn[dependent] == 0 { enqueue(dependent) }
            case .skipped:
                notRunSteps.append((dependent, notRun(dependent, code: "dependency_skipped", "not run: step '\(record.id)' was skipped")))
            case .failed:
                notRunSteps.append((dependent, notRun(dependent, code: "dependency_failed", "not run: step '\(record.id)' failed")))
            case .cancelled:
                notRunSteps.append((dependent, notRun(dependent, code: "dependency_failed", "not run: step '\(record.id)' was cancelled")))
            }
        }
    }

    private func notRun(_ index: Int, code: String, _ message: String) -> StepRecord {
        let status: StepStatus = code == "dependency_skipped" ? .skipped : .failed
        return StepRecord(id: steps[index].id, tool: steps[index].tool, status: status, error: StepError(code: code, message: message))
    }

    private mutating func cancelEverything() {
        let now = Date()
        for (index, entry) in running.enumerated() {
            guard let entry else { continue }
            entry.task?.cancel()
            if let key = steps[index].idempotencyKey, keyOwners[key] == index, entry.record.attempts > 0 { store.release(key) }
            var record = entry.record
            record.status = .cancelled
            record.error = StepError(code: "cancelled", message: "the run was cancelled while the step ran")
            record.endedAt = now
            records[index] = record
            options.onStepEnd?(record)
        }
        running = running.map { _ in nil }
        runningCount = 0
        for index in records.indices where records[index] == nil {
            let record = StepRecord(id: steps[index].id, tool: steps[index].tool, status: .cancelled,
                                    error: StepError(code: "cancelled", message: "the run was cancelled before the step started"))
            records[index] = record
            options.onStepEnd?(record)
        }
        finishedCount = records.count
    }
}

/// A FIFO of step indices that never shifts its storage.
struct Queue {
    private var items: [Int] = []
    private var head = 0

    mutating func push(_ item: Int) { items.append(item) }

    mutating func pop() -> Int? {
        guard head < items.count else { return nil }
        defer { head += 1 }
        return items[head]
    }
}
