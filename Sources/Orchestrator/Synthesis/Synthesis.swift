import OrchJSON

/// Renders a plan's `final_synthesis.prompt_template`. `{{steps}}` becomes one block per step
/// (id, tool, status, and the output or error as JSON); `{{request_id}}` the plan's request id.
/// With `meta.expose_inputs_to_reasoner: true` each block also shows the step's input.
/// `write(_:with:)` has a model write the synthesis from the rendered template.
public enum Synthesis {
    public static func render(_ synthesis: FinalSynthesis, plan: Plan, steps: [StepRecord]) -> String {
        let exposeInputs = synthesis.meta["expose_inputs_to_reasoner"]?.boolValue ?? false
        let inputs = exposeInputs ? Dictionary(plan.steps.map { ($0.id, $0.input) }, uniquingKeysWith: { first, _ in first }) : [:]
        let blocks = steps.map { record -> String in
            var lines = ["### \(record.id) (\(record.tool)): \(record.status.rawValue)"]
            if let input = inputs[record.id] { lines.append("input: \(input.serialized())") }
            if let output = record.output { lines.append("output: \(output.serialized())") }
            if let error = record.error { lines.append("error: \(error)") }
            return lines.joined(separator: "\n")
        }
        // Each placeholder is filled in the template only, never inside what another one inserted
        // (a step output may well contain "{{request_id}}").
        return synthesis.promptTemplate.components(separatedBy: "{{steps}}")
            .map { $0.replacingOccurrences(of: "{{request_id}}", with: plan.requestID) }
            .joined(separator: blocks.joined(separator: "\n\n"))
    }
}
