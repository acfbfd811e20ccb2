import Orchestrator
import OrchJSON
import Providers

/// Runs one case of a configuration with models: the planner model turns the case's request
/// into a plan (or the golden plan is taken), the worker model does `line_item_parser` and
/// `expense_categorizer` (the seed's `USE_SMALL_MODEL=true`: rules as the checked fallback),
/// and a synthesis model writes the answer when the configuration or the plan names one.
/// Every model exchange goes through `context.transport`, the case's cassette.
struct ModelCaseExecutor: CaseExecutor {
    var configuration: Configuration
    var prices: PriceTable?
    var placeholderKeys: Bool
    var callTimeout: Duration

    func execute(_ suiteCase: SuiteCase, context base: CaseContext) async throws -> CaseExecution {
        let watch = MissWatch(base.transport)
        var context = base
        context.transport = watch
        let execution = try await run(suiteCase, context: context)
        if let miss = watch.firstMiss { throw miss }
        return execution
    }

    func run(_ suiteCase: SuiteCase, context: CaseContext) async throws -> CaseExecution {
        let environment = self.environment(context.environment)
        let tools = try StandardTools.catalog(environment: environment, transport: context.transport)
        var calls: [ModelCall] = []
        let plan: JSONValue
        switch configuration.planner {
        case .golden:
            plan = suiteCase.goldenPlan
        case .model(let provider, let model):
            let planner = Planner(catalog: tools, model: try metered(provider, model, environment, context))
            let planned = await planner.plan(suiteCase.plannerRequest, requestID: suiteCase.id)
            calls = planned.calls
            guard let json = planned.planJSON, planned.plan != nil else {
                return CaseExecution(plan: planned.planJSON ?? .null, planProblems: planned.problems.map(\.description).nonEmpty
                                        ?? ["the planner gave no plan"],
                                     validated: nil, run: nil, usage: calls.map(Self.usage), plannerVirtualMs: Self.ms(calls))
            }
            plan = json
        }
        let worker = try workerModel(environment, context)
        let catalog = MeasuredTool.measuring(worker.map { ModelSetup.workerCatalog(tools, model: $0) } ?? tools)
        let validated: ValidatedPlan
        do { validated = try PlanValidator(catalog: catalog).validate(json: plan) } catch {
            return CaseExecution(plan: plan, planProblems: error.problems.map(\.description), validated: nil, run: nil,
                                 usage: calls.map(Self.usage), plannerVirtualMs: Self.ms(calls))
        }
        var options = EngineOptions()
        // A worker model gets 90 % of its step's time limit; the seed's 30 s default is less
        // than one local-model call on a loaded machine, so steps without `timeout_s` get the
        // model call's limit (replay is instant either way).
        options.defaultTimeout = callTimeout
        options.synthesisModel = try synthesisModel(for: validated.plan, worker: worker, environment, context)
        var run = await PlanEngine(options: options).run(validated)
        run.modelCalls.insert(contentsOf: calls, at: 0)
        let all = run.allModelCalls
        return CaseExecution(plan: plan, validated: validated, run: run, usage: all.map(Self.usage),
                             plannerVirtualMs: Self.ms(all.filter { $0.role == .planner }),
                             synthesisVirtualMs: Self.ms(all.filter { $0.role == .synthesis }))
    }

    /// The process environment, the configuration's variables over it, and (replay) placeholder keys.
    func environment(_ base: [String: String]) -> [String: String] {
        var values = base.merging(configuration.environment ?? [:]) { _, new in new }
        if let mode = configuration.ocrMode { values["OCR_MODE"] = mode }
        if placeholderKeys { values.merge(ModelConfigurations.placeholders) { old, _ in old } }
        return values
    }

    /// A model of this configuration, its calls metered and sent through the case's cassette.
    /// A worker model reads `WORKER_MODEL_URL` as its server's URL (as `ModelSetup.worker` does).
    func metered(_ provider: String, _ model: String, _ environment: [String: String], _ context: CaseContext,
                 worker: Bool = false) throws -> MeteredModel {
        var values = environment
        if worker, let url = environment["WORKER_MODEL_URL"] {
            values["LOCAL_MODEL_URL"] = url
            values["OLLAMA_API_URL"] = url
        }
        let chat = try makeChatModel(provider: provider, model: model, environment: ProviderEnvironment(values), transport: context.transport)
        return MeteredModel(chat, prices: prices, timeout: callTimeout)
    }

    /// `large` workers use the planner's model (its server too); `small` ones their own.
    func workerModel(_ environment: [String: String], _ context: CaseContext) throws -> MeteredModel? {
        guard configuration.workers.kind != .rules, case .model(let provider, let model)? = configuration.workers.model else { return nil }
        return try metered(provider, model, environment, context, worker: configuration.workers.kind == .small)
    }

    /// The configuration's synthesis model, else the one the plan's `meta.synthesis_model`
    /// names (`large`: the planner's model, `small`: the worker's), else none (the template).
    func synthesisModel(for plan: Plan, worker: MeteredModel?, _ environment: [String: String], _ context: CaseContext) throws -> MeteredModel? {
        if case .model(let provider, let model)? = configuration.synthesis { return try metered(provider, model, environment, context) }
        switch plan.finalSynthesis?.meta["synthesis_model"]?.stringValue?.lowercased() {
        case "large", "planner":
            if case .model(let provider, let model) = configuration.planner { return try metered(provider, model, environment, context) }
            return nil
        case "small", "worker": return worker
        default: return nil
        }
    }

    /// The ledger's record of a call; a server that reported no usage counts zero tokens
    /// (its compute time is still priced from the latency).
    static func usage(_ call: ModelCall) -> UsageRecord {
        UsageRecord(role: UsageRecord.Role(rawValue: call.role.rawValue) ?? .worker, stepID: call.stepID,
                    model: "\(call.provider)/\(call.model)", inputTokens: call.inputTokens ?? 0,
                    outputTokens: call.outputTokens ?? 0, latencyMs: call.latencyMilliseconds)
    }

    static func ms(_ calls: [ModelCall]) -> Double { calls.map(\.latencyMilliseconds).reduce(0, +) }
}

extension Array {
    fileprivate var nonEmpty: Self? { isEmpty ? nil : self }
}
