import OrchJSON

/// An evaluation suite (docs/suites.md): the cases to run, the configurations to run them
/// under, the price table and the gate's thresholds. A value read from a suite file by
/// `SuiteLoader`; nothing in it runs anything.
public struct Suite: Sendable, Equatable {
    /// The suite file format version this code reads.
    public static let formatVersion = 1

    public var name: String
    public var description: String
    /// Where the cases' cassettes live: `<cassettes>/<configuration>/<case>.json`.
    public var cassetteFolder: String
    public var configurations: [Configuration]
    public var cases: [SuiteCase]
    public var prices: PriceSheet
    public var thresholds: Thresholds
    public var headline: Headline

    public init(name: String, description: String = "", cassetteFolder: String? = nil, configurations: [Configuration],
                cases: [SuiteCase], prices: PriceSheet = PriceSheet(), thresholds: Thresholds = Thresholds(),
                headline: Headline = Headline()) {
        self.name = name
        self.description = description
        self.cassetteFolder = cassetteFolder ?? "Cassettes/suites/\(name)"
        self.configurations = configurations
        self.cases = cases
        self.prices = prices
        self.thresholds = thresholds
        self.headline = headline
    }
}

/// One way of running every case: who plans, who does the worker steps, who writes the summary.
public struct Configuration: Sendable, Equatable, Codable {
    public var name: String
    /// What the configuration stands for, for people reading the report.
    public var description: String?
    public var planner: ModelChoice
    public var workers: WorkerChoice
    /// The model that writes the final synthesis; nil renders the plan's template without a model.
    public var synthesis: ModelChoice?
    /// `OCR_MODE` for `receipt_ocr` (`fixture` or `tesseract`); nil keeps the environment's.
    public var ocrMode: String?
    /// The cases this configuration runs (all when nil): live model time is dear, so a
    /// configuration may cover a named subset.
    public var cases: [String]?
    /// Variables set over the process environment for this configuration's models, such as
    /// `LOCAL_MODEL_URL` and `WORKER_MODEL_URL` (where each local server listens, so replay
    /// asks the recorded URLs). Never keys: the loader refuses names with KEY, TOKEN or SECRET.
    public var environment: [String: String]?

    public init(name: String, planner: ModelChoice, workers: WorkerChoice, synthesis: ModelChoice? = nil,
                ocrMode: String? = nil, cases: [String]? = nil) {
        self.name = name
        self.planner = planner
        self.workers = workers
        self.synthesis = synthesis
        self.ocrMode = ocrMode
        self.cases = cases
    }

    enum CodingKeys: String, CodingKey {
        case name, description, planner, workers, synthesis, cases, environment
        case ocrMode = "ocr_mode"
    }
}

/// `golden` (run the case's golden plan) or a model at a provider.
public enum ModelChoice: Sendable, Equatable, Codable, CustomStringConvertible {
    case golden
    case model(provider: String, model: String)

    public var description: String {
        switch self {
        case .golden: "golden"
        case .model(let provider, let model): "\(provider)/\(model)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), text == "golden" { self = .golden; return }
        let model = try container.decode(ModelName.self)
        self = .model(provider: model.provider, model: model.model)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .golden: try container.encode("golden")
        case .model(let provider, let model): try container.encode(ModelName(provider: provider, model: model))
        }
    }

    private struct ModelName: Codable { var provider: String; var model: String }
}

/// Who runs the worker steps: the built-in `rules` (receipt workers without a model), or a
/// `small` or `large` model.
public struct WorkerChoice: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable { case rules, small, large }
    public var kind: Kind
    /// The model for `small`/`large`; nil for `rules`.
    public var model: ModelChoice?

    public init(kind: Kind, model: ModelChoice? = nil) {
        self.kind = kind
        self.model = model
    }

    public var description: String { model.map { "\(kind.rawValue) (\($0))" } ?? kind.rawValue }

    enum CodingKeys: String, CodingKey { case kind, model }
}

/// One request to run, what to give it, and what a good answer looks like.
public struct SuiteCase: Sendable, Equatable {
    public var id: String
    public var request: String
    /// Named inputs (`{"items": [...]}`), handed to the planner after the request
    /// (`plannerRequest`).
    public var inputs: [String: JSONValue]
    /// The golden plan in the seed's plan format.
    public var goldenPlan: JSONValue
    public var assertions: [Assertion]
    public var tags: [String]

    public init(id: String, request: String, inputs: [String: JSONValue] = [:], goldenPlan: JSONValue,
                assertions: [Assertion] = [], tags: [String] = []) {
        self.id = id
        self.request = request
        self.inputs = inputs
        self.goldenPlan = goldenPlan
        self.assertions = assertions
        self.tags = tags
    }
}

extension SuiteCase {
    /// What the planner is asked: the request, then each input the request does not already
    /// quote (`image: "Fixtures/receipts/receipt-01.png"` usually is quoted), one line each as
    /// compact JSON, so the plan can write the values it needs into its steps. Quoted inputs
    /// are left out because a local planner pays about 20 ms for every prompt token.
    public var plannerRequest: String {
        let lines = inputs.sorted { $0.key < $1.key }.compactMap { name, value -> String? in
            if let text = value.stringValue, request.contains(text) { return nil }
            return "\(name): \(value.serialized())"
        }
        return lines.isEmpty ? request : request + "\n\nInputs:\n" + lines.joined(separator: "\n")
    }
}

/// What `compare` counts as a regression by default (its options override them).
public struct Thresholds: Sendable, Equatable, Codable {
    /// Relative increase of mean cost allowed (0.05 = 5 %).
    public var maxCostIncrease: Double
    /// Absolute drop of mean quality allowed.
    public var maxQualityDrop: Double
    /// Relative increase of mean virtual latency allowed.
    public var maxLatencyIncrease: Double

    public init(maxCostIncrease: Double = 0.05, maxQualityDrop: Double = 0.02, maxLatencyIncrease: Double = 0.10) {
        self.maxCostIncrease = maxCostIncrease
        self.maxQualityDrop = maxQualityDrop
        self.maxLatencyIncrease = maxLatencyIncrease
    }

    enum CodingKeys: String, CodingKey {
        case maxCostIncrease = "max_cost_increase", maxQualityDrop = "max_quality_drop", maxLatencyIncrease = "max_latency_increase"
    }
}

/// The two configurations the report's headline compares.
public struct Headline: Sendable, Equatable, Codable {
    public var baseline: String
    public var candidate: String

    public init(baseline: String = "large-only", candidate: String = "two-model") {
        self.baseline = baseline
        self.candidate = candidate
    }
}
