import Foundation
import Orchestrator
import OrchJSON

/// `orch-eval plan "REQUEST"`: a model turns the request into a validated plan (the seed's
/// run_planner_demo); with `--exec` the plan then runs.
public enum PlanCommand {
    static let spec = CommandSpec(
        synopsis: "orch-eval plan \"REQUEST\" [options]",
        summary: "Asks the planner model for a plan, validates it (one repair round), prints it,\nand with --exec runs it.",
        positionals: 1...1, positionalName: "the request",
        options: [
            .value("--provider", "NAME", "The planner's provider (default: PLANNER_PROVIDER)."),
            .value("--model", "NAME", "The planner's model (default: PLANNER_MODEL or the\nprovider's default)."),
            .flag("--exec", "Run the plan once it is valid."),
            .flag("--json", "Print {plan, rounds, calls, problems, notes} (and run) as JSON."),
            .value("--out", "FILE", "Write the valid plan to FILE."),
        ] + ModelRunOptions.options,
        footer: """
            ENVIRONMENT:
            \(ModelRunOptions.environmentHelp)

            Exit codes: 0 a valid plan (and with --exec a run where every step succeeded), 1 no
            valid plan after the repair round or a step failed, 2 unusable arguments or configuration.
            """)

    struct Options {
        var request: String
        var provider: String?
        var model: String?
        var exec: Bool
        var json: Bool
        var out: String?
        var models: ModelRunOptions

        init(_ arguments: ParsedArguments) throws(UsageError) {
            request = arguments.positionals[0]
            guard !request.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw UsageError("the request is empty") }
            provider = arguments.value("--provider")
            model = arguments.value("--model")
            exec = arguments.flag("--exec")
            json = arguments.flag("--json")
            out = arguments.value("--out")
            models = try ModelRunOptions(arguments)
        }
    }

    public static func run(_ arguments: [String], io: CommandIO, context: CommandContext = CommandContext()) async -> Int32 {
        let options: Options
        switch spec.parse(arguments, io: io, as: Options.init) {
        case .failure(let exit): return exit.code
        case .success(let parsed): options = parsed
        }
        let planner: Planner
        let setup: ModelSetup
        do {
            setup = try options.models.setup(io: io, context: context, plannerProvider: options.provider, plannerModel: options.model)
            planner = Planner(catalog: try StandardTools.catalog(environment: io.environment, transport: setup.transport), model: try setup.planner())
        } catch {
            io.err("Error: \(error)\n")
            return ExitStatus.usage
        }
        let planned = await planner.plan(options.request)
        for note in planned.notes { io.err("note: \(note)\n") }
        var output = planned.json
        var status = planned.plan == nil ? ExitStatus.failure : ExitStatus.success
        if let plan = planned.plan {
            if let out = options.out {
                do {
                    try Data(((planned.planJSON ?? .null).serialized(.pretty) + "\n").utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
                } catch {
                    io.err("Error: cannot write the plan to '\(out)': \(error.localizedDescription)\n")
                    return ExitStatus.usage
                }
            }
            if !options.json { io.out(text(planned)) }
            if options.exec {
                let run: RunResult
                do {
                    run = try await execute(plan.plan, calls: planned.calls, setup: setup, io: io)
                } catch {
                    io.err("Error: \(error)\n")
                    return ExitStatus.usage
                }
                if case .object(var fields) = output {
                    fields["run"] = run.json()
                    output = .object(fields)
                }
                if !options.json { io.out("\n" + RunSummary.text(of: run)) }
                if run.status != .succeeded { status = ExitStatus.failure }
            }
        } else if !options.json {
            io.out(text(planned))
        }
        if options.json { io.out(output.serialized(.pretty) + "\n") }
        return status
    }

    /// Runs `plan` with the workers and synthesis the environment configures; the planner's
    /// calls join the run's ledger.
    static func execute(_ plan: Plan, calls: [ModelCall], setup: ModelSetup, io: CommandIO) async throws -> RunResult {
        let catalog = try setup.workerCatalog(StandardTools.catalog(environment: io.environment, transport: setup.transport))
        let validated = try PlanValidator(catalog: catalog).validate(plan)
        var engine = EngineOptions()
        try ModelRunOptions.synthesis(for: plan, setup: setup, into: &engine)
        var run = await PlanRun.run(validated, options: engine, progress: false, io: io)
        run.modelCalls.insert(contentsOf: calls, at: 0)
        return run
    }

    static func text(_ planned: PlannerResult) -> String {
        var lines: [String] = []
        let rounds = planned.rounds == 1 ? "1 round" : "\(planned.rounds) rounds"
        if let plan = planned.plan {
            lines.append("Plan \(plan.plan.requestID): valid after \(rounds) (\(plan.plan.steps.count) steps)")
            lines.append((planned.planJSON ?? .null).serialized(.pretty))
        } else {
            lines.append("No valid plan after \(rounds):")
            lines += planned.problems.map { "  - \($0)" }
        }
        if let usage = RunSummary.usageLine(planned.calls) { lines.append(usage) }
        return lines.joined(separator: "\n") + "\n"
    }
}
