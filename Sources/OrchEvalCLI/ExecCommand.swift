import Foundation
import MCP
import Orchestrator
import OrchJSON

/// `orch-eval exec PLAN.json`: validate and run one plan, like the seed's run_demo.
public enum ExecCommand {
    static let spec = CommandSpec(
        synopsis: "orch-eval exec PLAN.json [options]",
        summary: "Runs one plan offline and prints a summary (or, with --json, the run result).",
        positionals: 1...1, positionalName: "the plan file",
        options: [
            .flag("--json", "Print the run result as JSON on stdout."),
            .value("--max-concurrency", "N", "Run at most N steps at once (default: no limit)."),
            .value("--default-timeout", "SECONDS", "Timeout of steps without timeout_s (default: 30)."),
            .value("--idempotency-store", "FILE", "Keep results of steps with idempotency keys in FILE\nand reuse them in later runs."),
            .flag("--progress", "Print a line on stderr as each step ends (the default\nwhen stderr is a terminal)."),
            MCPCommand.mcpConfigOption,
        ] + ModelRunOptions.options,
        footer: """
            ENVIRONMENT:
              OCR_MODE=tesseract|fixture       How receipt_ocr reads images (see docs/receipts.md).
              ORCH_MCP_CONFIG=FILE             MCP servers, when --mcp-config is not given (docs/mcp.md).
            \(ModelRunOptions.environmentHelp)

            Exit codes: 0 every step succeeded (or was skipped by run_if), 1 a step failed or the
            run was interrupted, 2 the plan or the command line cannot be used.
            Ctrl-C cancels the running steps and still reports what finished.
            """)

    struct Options {
        var planPath: String
        var json: Bool
        var engine = EngineOptions()
        var storePath: String?
        var progress: Bool
        var mcpConfigPath: String?
        var models: ModelRunOptions

        init(_ arguments: ParsedArguments) throws(UsageError) {
            models = try ModelRunOptions(arguments)
            planPath = arguments.positionals[0]
            mcpConfigPath = arguments.value("--mcp-config")
            json = arguments.flag("--json")
            progress = arguments.flag("--progress")
            storePath = arguments.value("--idempotency-store")
            if arguments.value("--max-concurrency") != nil {
                guard let n = try? arguments.integer("--max-concurrency", in: 1...Int.max) else {
                    throw UsageError("--max-concurrency needs a whole number > 0")
                }
                engine.maxConcurrency = n
            }
            if let text = arguments.value("--default-timeout") {
                guard let s = Double(text), PlanSeconds.problem(s, allowZero: false) == nil else {
                    throw UsageError("--default-timeout needs a number of seconds > 0 and ≤ \(Int(PlanSeconds.maximum))")
                }
                engine.defaultTimeout = .seconds(s)
            }
        }
    }

    public static func run(_ arguments: [String], io: CommandIO, catalog: ToolCatalog? = nil,
                           context: CommandContext = CommandContext()) async -> Int32 {
        let options: Options
        switch spec.parse(arguments, io: io, as: Options.init) {
        case .failure(let exit): return exit.code
        case .success(let parsed): options = parsed
        }
        let path = options.planPath
        // Started before validation, which needs the servers' tool lists; stopped on every way out.
        var servers: MCPServers?
        do {
            if let config = try MCPConfig.load(option: options.mcpConfigPath, environment: io.environment) {
                servers = try await MCPServers.start(config)
            }
        } catch {
            io.err("Error: \(error)\n")
            return (error as? MCPError)?.kind == .configuration ? ExitStatus.usage : ExitStatus.failure
        }
        let status = await run(options, path: path, catalog: catalog, servers: servers, context: context, io: io)
        await servers?.stop()
        return status
    }

    private static func run(_ options: Options, path: String, catalog: ToolCatalog?, servers: MCPServers?,
                            context: CommandContext, io: CommandIO) async -> Int32 {
        let validated: ValidatedPlan
        var engineOptions = options.engine
        do {
            let json = try PlanFile.read(path)
            let setup = try options.models.setup(io: io, context: context)
            var tools = try setup.workerCatalog(catalog ?? StandardTools.catalog(environment: io.environment, transport: setup.transport))
            servers?.add(to: &tools)
            validated = try PlanValidator(catalog: tools).validate(json: json)
            try ModelRunOptions.synthesis(for: validated.plan, setup: setup, into: &engineOptions)
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
        let result = await PlanRun.run(validated, options: engineOptions, progress: options.progress, io: io)
        io.out(options.json ? result.json().serialized(.pretty) + "\n" : RunSummary.text(of: result))
        return result.status == .succeeded ? ExitStatus.success : ExitStatus.failure
    }
}
