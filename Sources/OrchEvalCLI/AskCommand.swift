import Cassettes
import Foundation
import OrchJSON
import Providers

/// `orch-eval ask PROMPT`: ask one model one question through its provider's client.
public enum AskCommand {
    static let spec = CommandSpec(
        synopsis: "orch-eval ask PROMPT [options]",
        summary: "Asks one model one question and prints the answer (text, or with --json the\nwhole response).",
        positionals: 1...1, positionalName: "the prompt",
        options: [
            .value("--provider", "NAME", "openai, azure-openai, anthropic, gemini, ollama, azure,\nopenai-compatible or transformers (default: PLANNER_PROVIDER,\nelse openai)."),
            .value("--model", "NAME", "The model; for azure-openai the deployment name\n(default: from the environment, see docs/providers.md)."),
            .value("--system", "TEXT", "A system prompt."),
            .value("--schema", "FILE", "A JSON Schema the answer must follow (exit 1 if it does not)."),
            .flag("--stream", "Stream the answer and print the text as it arrives."),
            .flag("--json", "Print {text, tool_calls, usage, cost_usd, model, latency_ms,\nfinish_reason} as JSON on stdout."),
        ] + CassetteChoice.options,
        footer: """
            ENVIRONMENT:
              Keys, endpoints and default models come from the environment and .env (the real
              environment wins); docs/providers.md lists every variable. Costs use
              Fixtures/pricing.json in the working directory when it is there.

            Exit codes: 0 an answer, 1 the provider refused or failed (or the answer does not
            follow --schema), 2 unusable arguments or configuration.
            """)

    struct Options {
        var prompt: String
        var provider: String?
        var model: String?
        var system: String?
        var schemaPath: String?
        var stream: Bool
        var json: Bool
        var cassette: CassetteChoice

        init(_ arguments: ParsedArguments) throws(UsageError) {
            prompt = arguments.positionals[0]
            provider = arguments.value("--provider")
            if let provider, ProviderName.canonical(provider) == nil {
                throw UsageError("--provider must be one of \(ProviderName.accepted.joined(separator: ", ")); got '\(provider)'")
            }
            model = arguments.value("--model")
            system = arguments.value("--system")
            schemaPath = arguments.value("--schema")
            stream = arguments.flag("--stream")
            json = arguments.flag("--json")
            cassette = try CassetteChoice(arguments)
        }
    }

    /// What `ask` runs against (`CommandContext`).
    public typealias Context = CommandContext

    public static func run(_ arguments: [String], io: CommandIO, context: Context = Context()) async -> Int32 {
        let options: Options
        switch spec.parse(arguments, io: io, as: Options.init) {
        case .failure(let exit): return exit.code
        case .success(let parsed): options = parsed
        }
        let model: any ChatModel
        let request: ChatRequest
        let schema: JSONSchema?
        do {
            (request, schema) = try AskRequest.make(options, directory: context.directory)
            let environment = try ProviderEnvironment.load(environment: io.environment, directory: context.directory)
            let provider = options.provider ?? environment["PLANNER_PROVIDER"] ?? "openai"
            var clientOptions = context.clientOptions
            clientOptions.commandRunner = .system(environment: io.environment)
            model = try makeChatModel(provider: provider, model: options.model, environment: environment,
                                      transport: try options.cassette.transport(context: context, environment: io.environment), options: clientOptions)
        } catch {
            io.err("Error: \(error)\n")
            return ExitStatus.usage
        }

        // Ctrl-C cancels the request (and any wait before a retry).
        let (streams, printsText) = (options.stream, !options.json)
        let outcome = await InterruptSignal.cancellingOnInterrupt(io: io) { () -> Result<ChatResponse, any Error> in
            do {
                guard streams else { return .success(try await model.complete(request)) }
                let response = try await model.stream(request).finalResponse { if printsText { io.out($0) } }
                if printsText { io.out("\n") }
                return .success(response)
            } catch {
                return .failure(error)
            }
        }
        let response: ChatResponse
        switch outcome {
        case .success(let answer):
            response = answer
            if !options.stream && !options.json { io.out(response.text + (response.text.hasSuffix("\n") ? "" : "\n")) }
        case .failure(let error as ProviderError):
            io.err("Error: \(error)\n")
            return error.code == .configuration ? ExitStatus.usage : ExitStatus.failure
        case .failure(let error):
            io.err("Error: \(error)\n")
            return ExitStatus.failure
        }

        let prices = AskOutput.priceTable(in: context.directory)
        if options.json {
            io.out(AskOutput.json(response, prices: prices).serialized(.pretty) + "\n")
        } else {
            for call in response.toolCalls { io.out("tool call \(call.name)(\(call.arguments.serialized()))\n") }
        }
        if io.errIsTerminal { io.err(AskOutput.summary(response, prices: prices) + "\n") }
        if let schema, let problem = AskRequest.problem(with: response, schema: schema) {
            io.err("Error: the answer does not follow \(options.schemaPath ?? "the schema"): \(problem)\n")
            return ExitStatus.failure
        }
        return ExitStatus.success
    }
}
