import Orchestrator

/// Runs a validated plan for `exec` and `plan --exec`: notes and progress on stderr, Ctrl-C
/// cancels, and a failed idempotency store is reported.
enum PlanRun {
    static func run(_ validated: ValidatedPlan, options: EngineOptions, progress: Bool, io: CommandIO) async -> RunResult {
        var options = options
        for note in validated.notes { io.err("note: \(note)\n") }
        if progress || io.errIsTerminal {
            let total = validated.plan.steps.count
            let ended = Counter()
            options.onStepEnd = { record in io.err(RunSummary.progressLine(record, ended: ended.increment(), of: total)) }
        }
        let engine = PlanEngine(options: options)
        let result = await InterruptSignal.cancellingOnInterrupt(io: io) { await engine.run(validated) }
        // Only --json shows metadata, and a store that was not written must not go unnoticed.
        for step in result.steps {
            if let problem = step.metadata["idempotency_store_error"]?.stringValue { io.err("warning: step '\(step.id)': \(problem)\n") }
        }
        return result
    }
}
