import Foundation
import Orchestrator
import OrchEval
import OrchJSON

/// `orch-eval score-plan GOLDEN.json PREDICTED.json`: how close a plan is to the golden one.
public enum ScorePlanCommand {
    static let spec = CommandSpec(
        synopsis: "orch-eval score-plan GOLDEN.json PREDICTED.json [--json]",
        summary: "Scores a predicted plan against a golden plan: validity, tool-node F1, dependency-edge\nF1 and argument F1 over aligned steps, exact match (see docs/suites.md).",
        positionals: 2...2, positionalName: "the golden and the predicted plan files",
        options: [.flag("--json", "Print {valid, node_f1, edge_f1, argument_f1, exact, alignment} as JSON.")],
        footer: "Exit codes: 0 scored, 2 a plan file or the golden plan cannot be used.")

    public static func run(_ arguments: [String], io: CommandIO) async -> Int32 {
        let parsed: ParsedArguments
        switch spec.parse(arguments, io: io, as: { $0 }) {
        case .failure(let exit): return exit.code
        case .success(let value): parsed = value
        }
        let (goldenPath, predictedPath) = (parsed.positionals[0], parsed.positionals[1])
        let score: PlanScore
        do {
            let golden: Plan
            do { golden = try Plan(json: try PlanFile.read(goldenPath)) } catch let error as PlanValidationError {
                io.err("Error: \(goldenPath): the golden plan cannot be read: \(error)\n")
                return ExitStatus.usage
            }
            let predicted = try PlanFile.read(predictedPath)
            let catalog = try StandardTools.catalog(environment: io.environment)
            score = PlanScorer(catalog: catalog).score(golden: golden, predicted: predicted)
        } catch {
            io.err("Error: \(error)\n")
            return ExitStatus.usage
        }
        if parsed.flag("--json") {
            io.out(score.json.serialized(.pretty) + "\n")
            return ExitStatus.success
        }
        var text = "valid: \(score.valid)\nnode F1: \(format(score.nodeF1))\nedge F1: \(format(score.edgeF1))\nargument F1: \(format(score.argumentF1))\nexact: \(score.exact)\n"
        text += "alignment:\n" + score.alignment.pairs.map { "  \($0.golden) ↔ \($0.predicted) (similarity \(format($0.similarity)))\n" }.joined()
        if !score.alignment.unmatchedGolden.isEmpty { text += "  golden steps without a partner: \(score.alignment.unmatchedGolden.joined(separator: ", "))\n" }
        if !score.alignment.unmatchedPredicted.isEmpty { text += "  predicted steps without a partner: \(score.alignment.unmatchedPredicted.joined(separator: ", "))\n" }
        text += score.problems.map { "problem: \($0)\n" }.joined()
        io.out(text)
        return ExitStatus.success
    }

    private static func format(_ x: Double) -> String { String(format: "%.4f", x) }
}
