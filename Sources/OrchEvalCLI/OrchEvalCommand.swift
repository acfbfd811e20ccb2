import Orchestrator

/// `orch-eval`: the entry point that routes to a subcommand.
public enum OrchEvalCommand {
    /// Releases what commands share across a process (the sandbox's idle Python servers),
    /// so nothing outlives the process. Call once before exiting.
    public static func finish() async {
        await CodeExecTool.sharedSandbox.shutdown()
    }

    static let usage = """
        USAGE: orch-eval <subcommand> [options]

        SUBCOMMANDS:
          exec PLAN.json        Run one plan and print its result (see `orch-eval exec --help`).
          plan "REQUEST"        Ask the planner model for a plan; --exec runs it (see `orch-eval plan --help`).
          ask PROMPT            Ask one model one question (see `orch-eval ask --help`).
          run SUITE.json        Run an evaluation suite and write its reports.
          score-plan GOLD PRED  Score a predicted plan against a golden plan.
          compare BASE NEW      Compare two reports; exit 1 on a regression.
          merge REPORT...       Join shard reports.
          reprice REPORT        Recompute a report's costs under another price table.
          cassettes verify|ls   Check or list recorded HTTP cassettes (see `orch-eval cassettes --help`).
          doctor                Say which sandbox layers this machine supports; check python3 and tesseract.

        OPTIONS:
          -h, --help            Show this help.

        Exit codes: 0 success, 1 a step failed, a check found problems or a comparison a regression,
        2 unusable input.

        """

    /// Runs the command line `arguments` (without the program name) and returns the exit code.
    public static func main(_ arguments: [String], io: CommandIO) async -> Int32 {
        guard let subcommand = arguments.first else {
            io.err(usage)
            return ExitStatus.usage
        }
        let rest = Array(arguments.dropFirst())
        switch subcommand {
        case "-h", "--help", "help":
            io.out(usage)
            return ExitStatus.success
        case "exec":
            return await ExecCommand.run(rest, io: io)
        case "plan":
            return await PlanCommand.run(rest, io: io)
        case "run":
            return await RunCommand.run(rest, io: io)
        case "score-plan":
            return await ScorePlanCommand.run(rest, io: io)
        case "compare":
            return await ReportCommands.compare(rest, io: io)
        case "merge":
            return await ReportCommands.merge(rest, io: io)
        case "reprice":
            return await ReportCommands.reprice(rest, io: io)
        case "ask":
            return await AskCommand.run(rest, io: io)
        case "cassettes":
            return await CassettesCommand.run(rest, io: io)
        case "doctor":
            return await DoctorCommand.run(rest, io: io)
        default:
            io.err("Error: unknown subcommand '\(subcommand)'.\n\n" + usage)
            return ExitStatus.usage
        }
    }
}
