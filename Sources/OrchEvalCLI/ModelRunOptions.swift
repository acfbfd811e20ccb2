import Cassettes
import Foundation
import Orchestrator
import Providers

/// What `exec` and `plan` share for model calls: the cassette every model and OCR exchange goes
/// through, and the models the environment configures (`ModelSetup`).
struct ModelRunOptions {
    static let options = CassetteChoice.options

    static let environmentHelp = """
          PLANNER_PROVIDER, PLANNER_MODEL  The large model (planner; synthesis_model "large").
          USE_SMALL_MODEL=true             line_item_parser and expense_categorizer ask the worker
                                           model and fall back to their rules (docs/planner.md).
          SMALL_MODEL_BACKEND, WORKER_MODEL, WORKER_MODEL_URL
                                           The worker model; SMALL_MODEL_BACKEND=planner uses the
                                           large model (a large-only run).
          Provider keys and URLs: docs/providers.md.
        """

    var cassette: CassetteChoice

    init(_ arguments: ParsedArguments) throws(UsageError) {
        cassette = try CassetteChoice(arguments)
    }

    /// The models of this run, their exchanges going through the cassette when one is given
    /// (replayed on a virtual clock, so the ledger's latencies are the recorded ones).
    func setup(io: CommandIO, context: CommandContext, plannerProvider: String? = nil, plannerModel: String? = nil) throws -> ModelSetup {
        let transport = try cassette.transport(context: context, environment: io.environment,
                                               options: CassetteOptions(latency: .virtual(VirtualClock())))
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
