import Foundation
import Synchronization
import Testing
@testable import Orchestrator
import OrchJSON

@Suite("Plan engine")
struct EngineTests {
    @Test("references anywhere in the input are replaced by outputs, selected by path")
    func references() async throws {
        let result = try await runPlan("""
            {"request_id": "r", "steps": [
              {"id": "a", "tool": "echo", "input": {"items": [{"total": 3.5}, {"total": 5}], "name": "bagel"}},
              {"id": "b", "tool": "echo", "input": {"whole": "step:a", "deep": {"list": ["step:a.items.1.total", "x"]}, "n": "step:a.name",
                                                    "grid": [["step:a.items.0.total"]], "step:a.name": "a key stays as written"}, "depends_on": ["a"]}
            ]}
            """, tools: [EchoTool()])
        #expect(result.status == .succeeded)
        #expect(result["b"]?.output == [
            "whole": ["items": [["total": 3.5], ["total": 5]], "name": "bagel"],
            "deep": ["list": [5, "x"]],
            "n": "bagel",
            "grid": [[3.5]],
            "step:a.name": "a key stays as written",
        ])
    }

    @Test("a reference to a field the output lacks fails that step and names the field")
    func badReferenceAtRunTime() async throws {
        let result = try await runPlan("""
            {"request_id": "r", "steps": [
              {"id": "a", "tool": "echo", "input": {"n": 1}},
              {"id": "b", "tool": "echo", "input": {"x": "step:a.missing"}}
            ]}
            """, tools: [EchoTool()])
        #expect(result["b"]?.status == .failed)
        #expect(result["b"]?.error?.code == "bad_reference")
        #expect(result["b"]?.error?.message == "input.x: 'step:a.missing': 'missing' does not select anything in the value, which is an object with keys [n]")
    }

    @Test("a step starts when its own dependencies finish, not when a whole level does")
    func noLevelBarrier() async throws {
        // slow-1 waits until fast-2 (a level-2 step) has run; a level-by-level engine
        // would never start fast-2 before slow-1 ends, so slow-1 would time out. The timeout is
        // generous because a loaded CI machine can hold every task for seconds.
        let result = try await runPlan("""
            {"request_id": "r", "steps": [
              {"id": "slow-1", "tool": "gate", "input": {"wait": "fast-2-done"}, "timeout_s": 60},
              {"id": "fast-1", "tool": "echo", "input": {}},
              {"id": "fast-2", "tool": "gate", "input": {"open": "fast-2-done"}, "depends_on": ["fast-1"]},
              {"id": "slow-2", "tool": "echo", "input": {}, "depends_on": ["slow-1"]}
            ]}
            """, tools: [EchoTool(), GateTool()])
        #expect(result.status == .succeeded)
    }

    @Test("the concurrency cap bounds how many steps run at once")
    func concurrencyCap() async throws {
        let echo = EchoTool(pause: .milliseconds(20))
        let steps = (1...6).map { #"{"id": "s\#($0)", "tool": "echo", "input": {}}"# }.joined(separator: ",")
        let result = try await runPlan(#"{"request_id": "r", "steps": [\#(steps)]}"#, tools: [echo], options: EngineOptions(maxConcurrency: 2))
        #expect(result.status == .succeeded)
        #expect(echo.calls == 6)
        #expect(echo.maxInFlight <= 2)
    }

    @Test("a cap of 0 or less counts as 1 rather than stopping every step from starting")
    func capBelowOne() async throws {
        let echo = EchoTool()
        let plan = #"{"request_id": "r", "steps": [{"id": "a", "tool": "echo", "input": {}}, {"id": "b", "tool": "echo", "input": {}}]}"#
        for cap in [0, -3] {
            let result = try await runPlan(plan, tools: [echo], options: EngineOptions(maxConcurrency: cap))
            #expect(result.status == .succeeded)
        }
        #expect(echo.maxInFlight == 1)
    }

    @Test("sequential steps never overlap one another")
    func sequentialMode() async throws {
        let echo = EchoTool(pause: .milliseconds(10))
        let steps = (1...5).map { #"{"id": "s\#($0)", "tool": "echo", "input": {}, "mode": "sequential"}"# }.joined(separator: ",")
        let result = try await runPlan(#"{"request_id": "r", "steps": [\#(steps)]}"#, tools: [echo])
        #expect(result.status == .succeeded)
        #expect(echo.maxInFlight == 1)
    }

    @Test("a step that never answers ends at its timeout, and the run goes on")
    func timeout() async throws {
        let result = try await runPlan("""
            {"request_id": "r", "steps": [
              {"id": "stuck", "tool": "hang", "input": {}, "timeout_s": 0.1, "retry_policy": {"retries": 2, "backoff_s": 0}},
              {"id": "other", "tool": "echo", "input": {"ok": true}}
            ]}
            """, tools: [EchoTool(), HangingTool()])
        #expect(result["stuck"]?.status == .failed)
        #expect(result["stuck"]?.error?.code == "timeout")
        #expect(result["stuck"]?.attempts == 2)
        #expect(result["other"]?.status == .succeeded)
    }

    @Test("steps without timeout_s get the engine's default timeout")
    func defaultTimeout() async throws {
        let result = try await runPlan(#"{"request_id": "r", "steps": [{"id": "stuck", "tool": "hang", "input": {}}]}"#,
                                       tools: [HangingTool()], options: EngineOptions(defaultTimeout: .milliseconds(50)))
        #expect(result["stuck"]?.error?.message == "the step did not finish within its timeout of 0.05 s (timeout_s)")
    }

    @Test("a Retry-After longer than the backoff is waited out before the next attempt")
    func retryAfter() async throws {
        let result = try await runPlan("""
            {"request_id": "r", "steps": [{"id": "f", "tool": "flaky", "input": {}, "retry_policy": {"retries": 2, "backoff_s": 0}}]}
            """, tools: [FlakyTool(failures: 1, retryAfter: .milliseconds(300))])
        #expect(result["f"]?.attempts == 2)
        #expect(try #require(result["f"]?.duration) >= 0.3)
    }

    @Test("retries: retryable failures are tried again up to `retries` attempts in total")
    func retries() async throws {
        let plan = { (retries: Int) in """
            {"request_id": "r", "steps": [{"id": "f", "tool": "flaky", "input": {}, "retry_policy": {"retries": \(retries), "backoff_s": 0.001}}]}
            """ }
        let recovered = try await runPlan(plan(3), tools: [FlakyTool(failures: 2)])
        #expect(recovered["f"]?.status == .succeeded)
        #expect(recovered["f"]?.attempts == 3)

        let exhausted = try await runPlan(plan(2), tools: [FlakyTool(failures: 2)])
        #expect(exhausted["f"]?.status == .failed)
        #expect(exhausted["f"]?.attempts == 2)
        #expect(exhausted["f"]?.error?.message == "try again (attempt 2) (after 2 attempts)")

        let permanent = try await runPlan(plan(3), tools: [FlakyTool(failures: 2, retryable: false)])
        #expect(permanent["f"]?.attempts == 1)
    }

    @Test("backoff doubles per attempt, is capped, scaled by jitter, and yields to a longer Retry-After")
    func backoff() {
        let policy = RetryPolicy(attempts: 5, backoff: .seconds(1), maxBackoff: .seconds(5))
        #expect(retryDelay(after: 1, policy: policy, jitter: 1, retryAfter: nil) == .seconds(1))
        #expect(retryDelay(after: 3, policy: policy, jitter: 1, retryAfter: nil) == .seconds(4))
        #expect(retryDelay(after: 4, policy: policy, jitter: 1, retryAfter: nil) == .seconds(5))
        #expect(retryDelay(after: 3, policy: policy, jitter: 0.5, retryAfter: nil) == .seconds(2))
        #expect(retryDelay(after: 1, policy: policy, jitter: 1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(retryDelay(after: 3, policy: policy, jitter: 1, retryAfter: .seconds(1)) == .seconds(4))
        // 1e15 s doubled 30 times is past what Duration holds; the cap applies first.
        let long = RetryPolicy(attempts: 40, backoff: .seconds(1e15), maxBackoff: .seconds(60))
        #expect(retryDelay(after: 31, policy: long, jitter: 1, retryAfter: nil) == .seconds(60))
    }

    @Test("a step retrying thousands of times without backoff gets through; stale timeouts are dropped on the way")
    func manyFastRetries() async throws {
        let result = try await runPlan("""
            {"request_id": "r", "steps": [{"id": "a", "tool": "flaky", "input": {}, "retry_policy": {"retries": 20001, "backoff_s": 0}}]}
            """, tools: [FlakyTool(failures: 20000)])
        #expect(result["a"]?.status == .succeeded)
        #expect(result["a"]?.attempts == 20001)
    }

    @Test("the timer queue keeps due order after stale entries are dropped")
    func timerQueueCompaction() {
        var timers = TimerQueue {}
        for (index, seconds) in [7, 3, 9, 1, 8, 2, 6, 4, 5, 0].enumerated() {
            timers.schedule(after: .seconds(-100 + seconds), step: index, .retry(attempt: seconds))
        }
        timers.removeAll { entry in if case .retry(let n) = entry.purpose { n.isMultiple(of: 3) } else { false } }
        let order = timers.takeDue().map { entry in if case .retry(let n) = entry.purpose { n } else { -1 } }
        #expect(order == [1, 2, 4, 5, 7, 8])
        timers.cancelAll()
    }

    @Test("a failed step fails only its dependents; independent branches finish")
    func failureIsolation() async throws {
        let result = try await runPlan("""
            {"request_id": "r", "steps": [
              {"id": "bad", "tool": "fail", "input": {}},
              {"id": "child", "tool": "echo", "input": {"x": "step:bad"}},
              {"id": "grandchild", "tool": "echo", "input": {}, "depends_on": ["child"]},
              {"id": "good", "tool": "echo", "input": {"n": 1}},
              {"id": "good-child", "tool": "echo", "input": {"x": "step:good.n"}}
            ]}
            """, tools: [EchoTool(), FailingTool()])
        #expect(result.status == .failed)
        #expect(result["bad"]?.error == StepError(code: "broken", message: "this tool always fails"))
        #expect(result["child"]?.error == StepError(code: "dependency_failed", message: "not run: step 'bad' failed"))
        #expect(result["grandchild"]?.error == StepError(code: "dependency_failed", message: "not run: step 'child' failed"))
        #expect(result["child"]?.attempts == 0)
        #expect(result["good-child"]?.output == ["x": 1])
    }

    @Test("a failure at the head of a very long chain fails the whole chain without overflowing the stack")
    func longChainBehindFailure() async throws {
        let steps = [#"{"id": "s0", "tool": "fail", "input": {}}"#]
            + (1..<50_000).map { #"{"id": "s\#($0)", "tool": "echo", "input": {}, "depends_on": ["s\#($0 - 1)"]}"# }
        let result = try await runPlan(#"{"request_id": "r", "steps": [\#(steps.joined(separator: ","))]}"#, tools: [EchoTool(), FailingTool()])
        #expect(result.status == .failed)
        #expect(result["s49999"]?.error == StepError(code: "dependency_failed", message: "not run: step 's49998' failed"))
    }

    @Test("run_if: a false condition skips the step and what depends on it; a true one runs it")
    func runIf() async throws {
        let result = try await runPlan("""
            {"request_id": "r", "steps": [
              {"id": "total", "tool": "echo", "input": {"amount": 12, "flags": {"audit": false}}},
              {"id": "big", "tool": "echo", "input": {}, "run_if": "step:total.amount > 10"},
              {"id": "audit", "tool": "echo", "input": {}, "run_if": "step:total.flags.audit"},
              {"id": "after-audit", "tool": "echo", "input": {}, "depends_on": ["audit"]},
              {"id": "no-audit", "tool": "echo", "input": {}, "run_if": "not step:audit"},
              {"id": "bad-path", "tool": "echo", "input": {}, "run_if": "step:total.nothing == 1"}
            ]}
            """, tools: [EchoTool()])
        #expect(result["big"]?.status == .succeeded)
        #expect(result["audit"]?.status == .skipped)
        #expect(result["after-audit"]?.status == .skipped)
        #expect(result["after-audit"]?.error?.code == "dependency_skipped")
        // A condition on a skipped step is not decided: the step is skipped with it.
        #expect(result["no-audit"]?.error?.code == "dependency_skipped")
        #expect(result["bad-path"]?.status == .failed)
        #expect(result["bad-path"]?.error?.code == "condition_failed")
        #expect(result.status == .failed)
    }

    @Test("steps sharing an idempotency key call the tool once; the other reuses the result")
    func idempotencyWithinRun() async throws {
        let echo = EchoTool(pause: .milliseconds(5))
        let result = try await runPlan("""
            {"request_id": "r", "steps": [
              {"id": "a", "tool": "echo", "input": {"v": 1}, "idempotency_key": "k"},
              {"id": "b", "tool": "echo", "input": {"v": 1}, "idempotency_key": "k"}
            ]}
            """, tools: [echo])
        #expect(echo.calls == 1)
        #expect(result["a"]?.output == ["v": 1])
        #expect(result["b"]?.output == ["v": 1])
        #expect(result.steps.filter { $0.reusedKey == "k" }.count == 1)
    }

    @Test("when the step computing a key fails, the next step with that key computes it")
    func idempotencyAfterFailure() async throws {
        let flaky = FlakyTool(failures: 1, retryable: false)
        let result = try await runPlan("""
            {"request_id": "r", "steps": [
              {"id": "a", "tool": "flaky", "input": {}, "idempotency_key": "k"},
              {"id": "b", "tool": "flaky", "input": {}, "idempotency_key": "k"},
              {"id": "c", "tool": "flaky", "input": {}, "idempotency_key": "k"}
            ]}
            """, tools: [flaky])
        #expect(result["a"]?.status == .failed)
        #expect(result["b"]?.status == .succeeded)
        #expect(result["b"]?.attempts == 1)
        #expect(result["c"]?.reusedKey == "k")
        #expect(result["c"]?.output == ["ok": true])
    }

    @Test("a store file carries results across runs; a damaged store file is a clear error")
    func idempotencyAcrossRuns() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("idem-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let plan = #"{"request_id": "r", "steps": [{"id": "a", "tool": "echo", "input": {"v": 2}, "idempotency_key": "ocr-1"}]}"#

        let first = EchoTool()
        _ = try await runPlan(plan, tools: [first], options: EngineOptions(idempotencyStore: try IdempotencyStore(file: file)))
        let second = EchoTool()
        let again = try await runPlan(plan, tools: [second], options: EngineOptions(idempotencyStore: try IdempotencyStore(file: file)))
        #expect(first.calls == 1)
        #expect(second.calls == 0)
        #expect(again["a"]?.reusedKey == "ocr-1")
        #expect(again["a"]?.output == ["v": 2])

        try Data("{not json".utf8).write(to: file)
        #expect { try IdempotencyStore(file: file) } throws: { error in
            "\(error)".hasPrefix("cannot use the idempotency store '\(file.path)'")
        }
    }

    @Test("runs sharing one store file at the same time keep every result in the file")
    func sharedStoreFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("idem-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let store = try IdempotencyStore(file: file)
        await withTaskGroup(of: Void.self) { group in
            for run in 0..<40 {
                group.addTask {
                    _ = try? await runPlan(#"{"request_id": "r\#(run)", "steps": [{"id": "a", "tool": "echo", "input": {"run": \#(run)}, "idempotency_key": "key-\#(run)"}]}"#,
                                           tools: [EchoTool()], options: EngineOptions(idempotencyStore: store))
                }
            }
        }
        let reopened = try IdempotencyStore(file: file)
        #expect((0..<40).filter { reopened.output(for: "key-\($0)") == nil } == [])
    }

    @Test("cancelling the run cancels running steps and keeps what finished")
    func cancellation() async throws {
        let (startedSignal, started) = AsyncStream<Void>.makeStream()
        let sleeper = SleepUntilCancelledTool(onStart: { started.yield() })
        let plan = try validate("""
            {"request_id": "r", "steps": [
              {"id": "done", "tool": "echo", "input": {"ok": true}},
              {"id": "running", "tool": "sleep", "input": {}, "depends_on": ["done"]},
              {"id": "waiting", "tool": "echo", "input": {}, "depends_on": ["running"]}
            ]}
            """, tools: [EchoTool(), sleeper])
        let ended = Mutex<[String]>([])
        let engine = PlanEngine(options: EngineOptions(onStepEnd: { record in ended.withLock { $0.append(record.id) } }))
        let run = Task { await engine.run(plan) }
        for await _ in startedSignal { break }
        run.cancel()
        let result = await run.value
        #expect(ended.withLock { $0 } == ["done", "running", "waiting"])  // progress hears of every step
        #expect(result.status == .cancelled)
        #expect(result["done"]?.status == .succeeded)
        #expect(result["running"]?.status == .cancelled)
        #expect(result["running"]?.attempts == 1)
        #expect(result["running"]?.error?.message == "the run was cancelled while the step ran")
        #expect(sleeper.wasCancelled)
        #expect(result["waiting"]?.status == .cancelled)
        #expect(result["waiting"]?.error?.message == "the run was cancelled before the step started")
    }

    @Test("a tool that throws CancellationError on its own fails its step; the run was not interrupted")
    func toolCancellationIsAFailure() async throws {
        struct GivesUp: StepTool {
            let descriptor = ToolDescriptor(name: "give-up", kind: .function, description: "Throws CancellationError")
            func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput { throw CancellationError() }
        }
        let result = try await runPlan("""
            {"request_id": "r", "steps": [{"id": "a", "tool": "give-up", "input": {}}, {"id": "b", "tool": "echo", "input": {}}]}
            """, tools: [GivesUp(), EchoTool()])
        #expect(result.status == .failed)
        #expect(result["a"]?.status == .failed)
        #expect(result["a"]?.error?.code == "cancelled")
        #expect(result["b"]?.status == .succeeded)
    }

    @Test("an output holding an infinite number fails its step, so the run result stays valid JSON")
    func nonFiniteOutput() async throws {
        struct Overflowing: StepTool {
            let descriptor = ToolDescriptor(name: "sum", kind: .function, description: "Sums past the largest Double")
            func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
                ToolOutput(["result": ["count": 2, "total": .number(1e308 * 10)]])
            }
        }
        let result = try await runPlan("""
            {"request_id": "r", "steps": [{"id": "sum", "tool": "sum", "input": {}, "idempotency_key": "k"}]}
            """, tools: [Overflowing()])
        #expect(result["sum"]?.status == .failed)
        #expect(result["sum"]?.error == StepError(code: "invalid_output", message: "the tool returned inf at output.result.total, a number JSON cannot hold"))
        #expect(throws: Never.self) { try JSONValue(parsing: result.json().serialized()) }
    }

    @Test("a run started in a task that is already cancelled starts no step")
    func cancelledBeforeStart() async throws {
        let echo = EchoTool()
        let plan = try validate(#"{"request_id": "r", "steps": [{"id": "a", "tool": "echo", "input": {}}, {"id": "b", "tool": "echo", "input": {}}]}"#, tools: [echo])
        let run = Task {
            try? await Task.sleep(for: .seconds(3600))  // ends at once when cancelled
            return await PlanEngine().run(plan)
        }
        run.cancel()
        let result = await run.value
        #expect(result.status == .cancelled)
        #expect(result["a"]?.error?.message == "the run was cancelled before the step started")
        #expect(echo.calls == 0)
    }

    @Test("cancelling the run while a step waits to retry ends it, keeping the attempts made")
    func cancellationDuringBackoff() async throws {
        let (calledSignal, called) = AsyncStream<Void>.makeStream()
        let plan = try validate("""
            {"request_id": "r", "steps": [
              {"id": "stubborn", "tool": "flaky", "input": {}, "retry_policy": {"retries": 1000000000, "backoff_s": 3600}}
            ]}
            """, tools: [FlakyTool(failures: .max, onCall: { called.yield() })])
        let run = Task { await PlanEngine().run(plan) }
        for await _ in calledSignal { break }
        run.cancel()
        let result = await run.value
        #expect(result.status == .cancelled)
        #expect(result["stubborn"]?.attempts == 1)
        #expect(result["stubborn"]?.error?.code == "cancelled")
    }

    @Test("the run result's JSON form has status, and steps keyed by id with output or error, attempts and timings")
    func resultJSON() async throws {
        let result = try await runPlan("""
            {"request_id": "req-9", "steps": [
              {"id": "a", "tool": "echo", "input": {"v": 1}},
              {"id": "b", "tool": "fail", "input": {}}
            ]}
            """, tools: [EchoTool(), FailingTool()])
        let json = result.json()
        #expect(json["status"] == "failed")
        #expect(json["request_id"] == "req-9")
        #expect(json["steps"]?["a"]?["output"] == ["v": 1])
        #expect(json["steps"]?["a"]?["attempts"] == 1)
        #expect(json["steps"]?["b"]?["error"] == ["code": "broken", "message": "this tool always fails"])
        #expect(json["steps"]?["b"]?["started_at"]?.stringValue != nil)
        #expect(json["steps"]?["b"]?["duration_ms"]?.doubleValue != nil)
    }

    @Test("the synthesis template gets the step outputs in place of {{steps}}")
    func synthesis() async throws {
        let result = try await runPlan("""
            {"request_id": "r", "steps": [{"id": "a", "tool": "echo", "input": {"v": 1}}],
             "final_synthesis": {"prompt_template": "Summary for {{request_id}}:\\n{{steps}}", "meta": {"expose_inputs_to_reasoner": false}}}
            """, tools: [EchoTool()])
        #expect(result.synthesis == "Summary for r:\n### a (echo): succeeded\noutput: {\"v\":1}")
    }

    @Test("placeholders inside step outputs are shown as written, not filled in; {{steps}} may appear twice")
    func synthesisPlaceholdersInOutputs() async throws {
        let result = try await runPlan("""
            {"request_id": "REQ", "steps": [{"id": "a", "tool": "echo", "input": {"t": "{{request_id}}"}}],
             "final_synthesis": {"prompt_template": "{{steps}}\\n--\\n{{steps}}", "meta": {"expose_inputs_to_reasoner": true}}}
            """, tools: [EchoTool()])
        let block = "### a (echo): succeeded\ninput: {\"t\":\"{{request_id}}\"}\noutput: {\"t\":\"{{request_id}}\"}"
        #expect(result.synthesis == block + "\n--\n" + block)
    }

    @Test("the critical path is the longest dependency chain")
    func criticalPath() throws {
        let plan = try validate("""
            {"request_id": "r", "steps": [
              {"id": "a", "tool": "echo", "input": {}},
              {"id": "b", "tool": "echo", "input": {}, "depends_on": ["a"]},
              {"id": "c", "tool": "echo", "input": {}}
            ]}
            """, tools: [EchoTool()])
        #expect(plan.criticalPath { [.milliseconds(30), .milliseconds(20), .milliseconds(45)][$0] } == .milliseconds(50))
    }
}
