import Cassettes
import Foundation
import Orchestrator
import Providers

/// What `exec` and `plan` share for model calls: the cassette every model and OCR exchange goes
/// through, and the models the environment configures (`ModelSetup`).
struct ModelRunOptions {
    static let options: [OptionSpec] = [
        .value("--cassette", "FILE", "Send every model and OCR exchange through this cassette:\nreplayed when recorded, recorded as --record allows."),
        .value("--record", "MODE", "never (the default), once, missing or all: when the\ncassette may record live exchanges (ORCH_RECORD overrides it)."),
    ]

    static let environmentHelp = """
          PLANNER_PROVIDER, PLANNER_MODEL  The large model (planner; synthesis_model "large").
          USE_SMALL_MODEL=true             line_item_parser and expense_categorizer ask the worker
                                           model and fall back to their rules (docs/planner.md).
          SMALL_MODEL_BACKEND, WORKER_MODEL, WORKER_MODEL_URL
                                           The worker model; SMALL_MODEL_BACKEND=planner uses the
                                           large model (a large-only run).
          Provider keys and URLs: docs/providers.md.
        """

    var cassette: String?
    var record: RecordMode

    init(_ arguments: ParsedArguments) throws(UsageError) {
        cassette = arguments.value("--cassette")
        let mode = try arguments.choice("--record", of: RecordMode.allCases.map(\.rawValue))
        if mode != nil, cassette == nil { throw UsageError("--record needs --cassette FILE") }
        record = mode.flatMap(RecordMode.init(rawValue:)) ?? .never
    }

    /// The models of this run, their exchanges going through the cassette when one is given
    /// (replayed on a virtual clock, so the ledger's latencies are the recorded ones).
    func setup(io: CommandIO, context: CommandContext, plannerProvider: String? = nil, plannerModel: String? = nil) throws -> ModelSetup {
        var transport = context.transport
        if let cassette {
            transport = try CassetteTransport(file: URL(fileURLWithPath: cassette, relativeTo: context.directory), mode: record,
                                              upstream: context.transport, options: CassetteOptions(latency: .virtual(VirtualClock())),
                                              environment: io.environment)
        }
        return ModelSetup(environment: try ProviderEnvironment.load(environment: io.environment, directory: context.directory),
                          transport: transport, prices: AskOutput.priceTable(in: context.directory),
                          clientOptions: context.clientOptions, plannerProvider: plannerProvider, plannerModel: plannerModel)
    }

    /// Engine options whose synthesis uses the model the plan's `final_synthesis.meta.synthesis_model` names.
    static func synthesis(for plan: Plan, setup: ModelSetup, into options: inout EngineOptions) throws {
        let name = plan.finalSynthesis?.meta["synthesis_model"]?.stringValue
        options.synthesisModel = try setup.synthesisModel(named: name)
    }
}
