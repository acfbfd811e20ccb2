import Cassettes
import Providers

/// Which models a run uses, from the seed's variables (docs/planner.md, "Configuration"):
///
/// - the large model: `PLANNER_PROVIDER` and `PLANNER_MODEL` (or `--provider`/`--model`);
/// - the small worker model: `SMALL_MODEL_BACKEND` (`ollama`, the default, `azure`,
///   `openai-compatible`, `transformers`, or `planner` for the large model: a large-only run)
///   and `WORKER_MODEL` (`makeWorkerModel`); `WORKER_MODEL_URL` points it at its own server
///   when the planner uses `LOCAL_MODEL_URL` or `OLLAMA_API_URL` already;
/// - `USE_SMALL_MODEL=true` lets `line_item_parser` and `expense_categorizer` ask the worker model.
///
/// Models are made on first use, so a run that needs none needs no configuration.
public struct ModelSetup: Sendable {
    public var environment: ProviderEnvironment
    public var transport: any HTTPTransport
    public var prices: PriceTable?
    public var clientOptions: ClientOptions
    /// `--provider` / `--model` of the command line, over `PLANNER_PROVIDER` / `PLANNER_MODEL`.
    public var plannerProvider: String?
    public var plannerModelName: String?
    public var timeout: Duration

    public init(environment: ProviderEnvironment, transport: any HTTPTransport, prices: PriceTable? = nil,
                clientOptions: ClientOptions = ClientOptions(), plannerProvider: String? = nil, plannerModel: String? = nil,
                timeout: Duration = .seconds(600)) {
        self.environment = environment
        self.transport = transport
        self.prices = prices
        self.clientOptions = clientOptions
        self.plannerProvider = plannerProvider
        self.plannerModelName = plannerModel
        self.timeout = timeout
    }

    /// Whether `USE_SMALL_MODEL` asks the receipt workers to use the worker model.
    public var useSmallModel: Bool { environment.flag("USE_SMALL_MODEL") }

    /// The large model: the planner's, and the workers' in a large-only run.
    public func planner() throws(ProviderError) -> MeteredModel {
        guard let provider = plannerProvider ?? environment["PLANNER_PROVIDER"] else {
            throw ProviderError(.configuration, provider: "planner",
                                "no planner provider: pass --provider or set PLANNER_PROVIDER (\(ProviderName.accepted.joined(separator: ", ")))")
        }
        // PLANNER_MODEL explicitly: for a local backend the default would be WORKER_MODEL.
        let model = try makeChatModel(provider: provider, model: plannerModelName ?? environment["PLANNER_MODEL"],
                                      environment: environment, transport: transport, options: clientOptions)
        return MeteredModel(model, prices: prices, timeout: timeout)
    }

    /// The small worker model (`SMALL_MODEL_BACKEND=planner`: the large one).
    public func worker() throws(ProviderError) -> MeteredModel {
        if environment["SMALL_MODEL_BACKEND"]?.lowercased() == "planner" { return try planner() }
        var values = environment.values
        values["USE_SMALL_MODEL"] = "true"  // also for a synthesis that names the small model
        if let url = environment["WORKER_MODEL_URL"] {
            values["LOCAL_MODEL_URL"] = url
            values["OLLAMA_API_URL"] = url
        }
        guard let model = try makeWorkerModel(environment: ProviderEnvironment(values), transport: transport, options: clientOptions) else {
            throw ProviderError(.configuration, provider: "worker", "no worker model is configured (SMALL_MODEL_BACKEND, WORKER_MODEL)")
        }
        return MeteredModel(model, prices: prices, timeout: timeout)
    }

    /// `catalog` with `line_item_parser` and `expense_categorizer` asking the worker model
    /// (rules as the fallback) when `USE_SMALL_MODEL` is on; unchanged otherwise.
    public func workerCatalog(_ catalog: ToolCatalog) throws(ProviderError) -> ToolCatalog {
        guard useSmallModel else { return catalog }
        return Self.workerCatalog(catalog, model: try worker())
    }

    /// `catalog` with `line_item_parser` and `expense_categorizer` asking `model` (rules as the fallback).
    public static func workerCatalog(_ catalog: ToolCatalog, model: MeteredModel) -> ToolCatalog {
        var result = catalog
        let assignments = ["line_item_parser": ReceiptModelAssignments.lineItems, "expense_categorizer": ReceiptModelAssignments.categories]
        for (name, assignment) in assignments {
            if let rules = catalog.tool(named: name) {
                result.add(ModelAssistedWorker(rules: rules, model: model, assignment: assignment))
            }
        }
        return result
    }

    /// The model `final_synthesis.meta.synthesis_model` names: `large` (the planner's) or
    /// `small` (the worker's); nil for none.
    public func synthesisModel(named name: String?) throws(ProviderError) -> MeteredModel? {
        switch name?.lowercased() {
        case nil, "", "none", "template": return nil
        case "large", "planner": return try planner()
        case "small", "worker": return try worker()
        case let other?:
            throw ProviderError(.configuration, provider: "synthesis",
                                "final_synthesis.meta.synthesis_model is '\(other)'; use large, small or leave it out for the template")
        }
    }
}
