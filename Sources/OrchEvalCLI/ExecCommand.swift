import Foundation
import Orchestrator
import OrchJSON

/// `orch-eval exec PLAN.json`: validate and run one plan, like the seed's run_demo.
public enum ExecCommand {
    static let usage = """
        USAGE: orch-eval exec PLAN.json [options]

        Runs one plan offline and prints a summary (or, with --json, the run result).

        OPTIONS:
          --json                     Print the run result as JSON on stdout.
          --max-concurrency N        Run at most N steps at once (default: no limit).
          --default-timeout SECONDS  Timeout of steps without timeout_s (default: 30).
          --idempotency-store FILE   Keep results of steps with idempotency keys in FILE
                                     and reuse them in later runs.
          --progress                 Print a line on stderr as each step ends (the default
                                     when stderr is a terminal).
          -h, --help                 Show this help.

        ENVIRONMENT:
          OCR_MODE=tesseract|fixture  How receipt_ocr reads images (see docs/receipts.md).

        Exit codes: 0 every step succeeded (or was skipped by run_if), 1 a step failed or the
        run was interrupted, 2 the plan or the command line cannot be used.
        Ctrl-C cancels the running steps and still reports what finished.

        """

    struct Options {
        var planPath: String?
        var json = false
        var engine = EngineOptions()
        var storePath: String?
        var progress = false
    }

    public static func run(_ arguments: [String], io: CommandIO, catalog: ToolCatalog? = nil) async -> Int32 {
        let options: Options
        do {
            options = try parse(arguments)
        } catch {
            if error.isHelp {
                io.out(usage)
                return ExitStatus.success
            }
            io.err("Error: \(error.message)\n\n" + usage)
            return ExitStatus.usage
        }
        guard let path = options.planPath else {
            io.err("Error: missing the plan file.\n\n" + usage)
            return ExitStatus.usage
        }
        let validated: ValidatedPlan
        var engineOptions = options.engine
        do {
            let json = try PlanFile.read(path)
            validated = try PlanValidator(catalog: catalog ?? StandardTools.catalog(environment: io.environment)).validate(json: json)
            if let storePath = options.storePath {
                engineOptions.idempotencyStore = try IdempotencyStore(file: URL(fileURLWithPath: storePath))
            }
        } catch let error as PlanValidationError {
            io.err("Error: \(path): \(error)\n")
            return ExitStatus.usage
        } catch {
            io.err("Error: \(error)\n")
            return ExitStatus.usage
        }
        for note in validated.notes { io.err("note: \(note)\n") }
        if options.progress || io.errIsTerminal {
            let total = validated.plan.steps.count
            let ended = Counter()
            engineOptions.onStepEnd = { record in io.err(RunSummary.progressLine(record, ended: ended.increment(), of: total)) }
        }

        let engine = PlanEngine(options: engineOptions)
        let result = await InterruptSignal.cancellingOnInterrupt(io: io) { await engine.run(validated) }
        io.out(options.json ? result.json().serialized(.pretty) + "\n" : RunSummary.text(of: result))
        // Only --json shows metadata, and a store that was not written must not go unnoticed.
        for step in result.steps {
            if let problem = step.metadata["idempotency_store_error"]?.stringValue { io.err("warning: step '\(step.id)': \(problem)\n") }
        }
        return result.status == .succeeded ? ExitStatus.success : ExitStatus.failure
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var options = Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "-h", "--help": throw .help
            case "--json": options.json = true
            case "--progress": options.progress = true
            case "--max-concurrency":
                guard let n = rest.popFirst().flatMap(Int.init), n > 0 else { throw UsageError("--max-concurrency needs a whole number > 0") }
                options.engine.maxConcurrency = n
            case "--default-timeout":
                guard let s = rest.popFirst().flatMap(Double.init), PlanSeconds.problem(s, allowZero: false) == nil else {
                    throw UsageError("--default-timeout needs a number of seconds > 0 and ≤ \(Int(PlanSeconds.maximum))")
                }
                options.engine.defaultTimeout = .seconds(s)
            case "--idempotency-store":
                // `--idempotency-store --json` is a forgotten path, not a store file named "--json".
                guard let file = rest.popFirst(), !file.hasPrefix("-") else {
                    throw UsageError("--idempotency-store needs a file path (write ./-name for a file whose name starts with '-')")
                }
                options.storePath = file
            case let flag where flag.hasPrefix("-"):
                throw UsageError("unknown option '\(flag)'")
            default:
                guard options.planPath == nil else { throw UsageError("one plan file at a time; got '\(options.planPath!)' and '\(argument)'") }
                options.planPath = argument
            }
        }
        return options
    }
}
