import Orchestrator
import OrchJSON

/// Scores a predicted plan against the golden one (docs/suites.md, "Plan scores"):
///
/// 1. **validity**: the plan passes `PlanValidator` with the catalog (or, without one, decodes);
/// 2. **tool-node F1** over the multisets of step labels (the tool, or `function_call:NAME`);
/// 3. **alignment**: a maximum-weight bipartite matching (Hungarian algorithm) of golden to
///    predicted steps, where a pair's weight is 0 for different labels and otherwise
///    0.5 + 0.5 × the F1 of their input leaves (references compared by path only); pairs of
///    weight 0 stay unaligned;
/// 4. **edge F1** over dependency edges (explicit and implied by references), predicted edges
///    mapped to golden ids through the alignment;
/// 5. **argument F1** over input leaves of aligned steps (path and value; a reference counts
///    as equal when it points at the aligned step);
/// 6. **exact**: valid, every step aligned, and all three F1 equal to 1.
public struct PlanScorer: Sendable {
    /// Checks validity; nil scores any plan that decodes as valid.
    public var catalog: ToolCatalog?

    public init(catalog: ToolCatalog? = nil) { self.catalog = catalog }

    public func score(golden: JSONValue, predicted: JSONValue) throws(PlanValidationError) -> PlanScore {
        try score(golden: Plan(json: golden), predicted: predicted)
    }

    public func score(golden: Plan, predicted json: JSONValue) -> PlanScore {
        var problems: [String] = []
        if let catalog {
            do { _ = try PlanValidator(catalog: catalog).validate(json: json) } catch { problems = error.problems.map(\.description) }
        }
        let predicted: Plan
        do { predicted = try Plan(json: json) } catch {
            return PlanScore(valid: false, nodeF1: 0, edgeF1: 0, argumentF1: 0, exact: false,
                             alignment: .init(unmatchedGolden: golden.steps.map(\.id)),
                             problems: problems.isEmpty ? error.problems.map(\.description) : problems)
        }
        return score(golden: PlanShape(golden), predicted: PlanShape(predicted), problems: problems)
    }

    func score(golden: PlanShape, predicted: PlanShape, problems: [String]) -> PlanScore {
        let weights = golden.steps.map { g in predicted.steps.map { p in Self.similarity(g, p) } }
        let assignment = Hungarian.maximumWeightAssignment(weights)
        var pairs: [PlanScore.Pair] = []
        for (gi, pi) in assignment.enumerated() {
            guard let pi, weights[gi][pi] > 0 else { continue }
            pairs.append(.init(golden: golden.steps[gi].id, predicted: predicted.steps[pi].id, similarity: weights[gi][pi]))
        }
        let goldenOf = Dictionary(uniqueKeysWithValues: pairs.map { ($0.predicted, $0.golden) })
        let predictedOf = Dictionary(uniqueKeysWithValues: pairs.map { ($0.golden, $0.predicted) })
        let alignment = PlanScore.Alignment(pairs: pairs,
                                            unmatchedGolden: golden.steps.map(\.id).filter { predictedOf[$0] == nil },
                                            unmatchedPredicted: predicted.steps.map(\.id).filter { goldenOf[$0] == nil })

        var labels = [String: Int]()
        for step in golden.steps { labels[step.label, default: 0] += 1 }
        var sharedLabels = 0
        for step in predicted.steps where labels[step.label, default: 0] > 0 {
            labels[step.label]! -= 1
            sharedLabels += 1
        }
        let nodeF1 = f1(truePositives: Double(sharedLabels), predicted: Double(predicted.steps.count), golden: Double(golden.steps.count))

        let goldenEdges = Set(golden.steps.flatMap { step in step.dependencies.map { "\($0)→\(step.id)" } })
        let predictedEdges = predicted.steps.flatMap { step in step.dependencies.map { (from: $0, to: step.id) } }
        let mappedHits = Set(predictedEdges.compactMap { edge -> String? in
            guard let from = goldenOf[edge.from], let to = goldenOf[edge.to] else { return nil }
            return "\(from)→\(to)"
        }).intersection(goldenEdges).count
        let edgeF1 = f1(truePositives: Double(mappedHits), predicted: Double(predictedEdges.count), golden: Double(goldenEdges.count))

        let predictedByID = Dictionary(predicted.steps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var argumentHits = 0
        for goldenStep in golden.steps {
            guard let pid = predictedOf[goldenStep.id], let predictedStep = predictedByID[pid] else { continue }
            for (path, leaf) in goldenStep.leaves {
                if let other = predictedStep.leaves[path], leaf.matches(other, sameStep: { predictedOf[$0] == $1 }) { argumentHits += 1 }
            }
        }
        let argumentF1 = f1(truePositives: Double(argumentHits), predicted: Double(predicted.steps.map(\.leaves.count).reduce(0, +)),
                            golden: Double(golden.steps.map(\.leaves.count).reduce(0, +)))
        let valid = problems.isEmpty
        let exact = valid && alignment.unmatchedGolden.isEmpty && alignment.unmatchedPredicted.isEmpty
            && nodeF1 == 1 && edgeF1 == 1 && argumentF1 == 1
        return PlanScore(valid: valid, nodeF1: nodeF1, edgeF1: edgeF1, argumentF1: argumentF1, exact: exact,
                         alignment: alignment, problems: problems)
    }

    /// The alignment weight of two steps (see the type's documentation).
    static func similarity(_ golden: PlanShape.Step, _ predicted: PlanShape.Step) -> Double {
        guard golden.label == predicted.label else { return 0 }
        let shared = golden.leaves.filter { path, leaf in predicted.leaves[path].map { leaf.matches($0, sameStep: nil) } ?? false }.count
        return 0.5 + 0.5 * f1(truePositives: Double(shared), predicted: Double(predicted.leaves.count), golden: Double(golden.leaves.count))
    }
}
