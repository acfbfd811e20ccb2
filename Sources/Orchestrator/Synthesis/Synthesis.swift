import OrchJSON

/// Renders a plan's `final_synthesis.prompt_template`. `{{steps}}` becomes one block per step
/// (id, tool, status, and the output or error as JSON); `{{request_id}}` the plan's request id.
/// With `meta.expose_inputs_to_reasoner: true` each block also shows the step's input.
/// (A model-written synthesis from this prompt comes with the planner.)
public enum Synthesis {
    public static func render(_ synthesis: FinalSynthesis, plan: Plan, steps: [StepRecord]) -> String {
        let exposeInputs = synthesis.meta["expose_inputs_to_reasoner"]?.boolValue ?? false
        let blocks = steps.map { record -> String in
            var lines = ["### \(record.id) (\(record.tool)): \(record.status.rawValue)"]
            if exposeInputs, let step = plan.steps.first(where: { $0.id == record.id }) {
                lines.append("input: \(step.input.serialized())")
            }
            if let output = record.output { lines.append("output: \(output.serialized())") }
            if let error = record.error { lines.append("error: \(error)") }
            return lines.joined(separator: "\n")
        }
        return synthesis.promptTemplate
            .replacingOccurrences(of: "{{steps}}", with: blocks.joined(separator: "\n\n"))
            .replacingOccurrences(of: "{{request_id}}", with: plan.requestID)
    }
}
