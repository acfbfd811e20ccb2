import OrchJSON

/// How close a predicted plan is to the golden one (docs/suites.md, "Plan scores").
public struct PlanScore: Sendable, Equatable, Codable {
    /// The predicted plan passed validation against the tool catalog.
    public var valid: Bool
    public var nodeF1: Double
    public var edgeF1: Double
    public var argumentF1: Double
    /// Same steps, edges and arguments under the alignment (ids may differ).
    public var exact: Bool
    public var alignment: Alignment
    /// Why the plan is not valid, when it is not.
    public var problems: [String]

    public init(valid: Bool, nodeF1: Double, edgeF1: Double, argumentF1: Double, exact: Bool, alignment: Alignment, problems: [String] = []) {
        self.valid = valid
        self.nodeF1 = nodeF1
        self.edgeF1 = edgeF1
        self.argumentF1 = argumentF1
        self.exact = exact
        self.alignment = alignment
        self.problems = problems
    }

    /// The golden–predicted step pairs the scores rest on.
    public struct Alignment: Sendable, Equatable, Codable {
        public var pairs: [Pair]
        public var unmatchedGolden: [String]
        public var unmatchedPredicted: [String]

        public init(pairs: [Pair] = [], unmatchedGolden: [String] = [], unmatchedPredicted: [String] = []) {
            self.pairs = pairs
            self.unmatchedGolden = unmatchedGolden
            self.unmatchedPredicted = unmatchedPredicted
        }

        /// The predicted step aligned with golden step `id`.
        public func predicted(for golden: String) -> String? { pairs.first { $0.golden == golden }?.predicted }

        enum CodingKeys: String, CodingKey {
            case pairs, unmatchedGolden = "unmatched_golden", unmatchedPredicted = "unmatched_predicted"
        }
    }

    public struct Pair: Sendable, Equatable, Codable {
        public var golden: String
        public var predicted: String
        public var similarity: Double
    }

    enum CodingKeys: String, CodingKey {
        case valid, exact, alignment, problems
        case nodeF1 = "node_f1", edgeF1 = "edge_f1", argumentF1 = "argument_f1"
    }

    /// The `score-plan --json` form: `{"valid","node_f1","edge_f1","argument_f1","exact","alignment"}`.
    public var json: JSONValue {
        var value: [String: JSONValue] = [
            "valid": .bool(valid), "node_f1": .number(nodeF1), "edge_f1": .number(edgeF1),
            "argument_f1": .number(argumentF1), "exact": .bool(exact),
            "alignment": [
                "pairs": .array(alignment.pairs.map { ["golden": .string($0.golden), "predicted": .string($0.predicted), "similarity": .number($0.similarity)] }),
                "unmatched_golden": .array(alignment.unmatchedGolden.map(JSONValue.string)),
                "unmatched_predicted": .array(alignment.unmatchedPredicted.map(JSONValue.string)),
            ],
        ]
        if !problems.isEmpty { value["problems"] = .array(problems.map(JSONValue.string)) }
        return .object(value)
    }
}

/// F1 from true positives and the two totals; two empty sets agree perfectly.
func f1(truePositives: Double, predicted: Double, golden: Double) -> Double {
    if predicted == 0 && golden == 0 { return 1 }
    guard predicted > 0, golden > 0, truePositives > 0 else { return 0 }
    let precision = truePositives / predicted, recall = truePositives / golden
    return 2 * precision * recall / (precision + recall)
}
