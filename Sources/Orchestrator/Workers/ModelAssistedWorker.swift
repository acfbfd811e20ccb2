import Foundation
import OrchJSON
import Providers
import ReceiptWorkers

/// A receipt worker that asks a model first and keeps its rules as the fallback (the seed's
/// `USE_SMALL_MODEL=true`). The rules run first: they validate the input, give the checks
/// something to compare with, and are the answer when the model fails. The model's answer
/// must pass `accept` (schema and receipt checks); otherwise the step succeeds with the
/// rules' output plus `"fallback": {"reason": …}`, so an evaluation can count fallbacks.
/// The model call lands in the step's `model_calls` either way. The model gets 90 % of the
/// step's timeout; a model slower than that is a fallback too.
public struct ModelAssistedWorker: StepTool {
    /// What a worker asks the model and how it judges the answer.
    public struct Assignment: Sendable {
        /// The request for this input and the rules' output; nil when there is nothing to ask
        /// (an empty item list).
        public var request: @Sendable (_ input: JSONValue, _ rules: JSONValue) -> ChatRequest?
        /// The step output built from an acceptable answer, or why the answer was refused.
        public var accept: @Sendable (_ answer: JSONValue, _ input: JSONValue, _ rules: JSONValue) -> Result<JSONValue, ModelAnswerCheck.Refusal>
    }

    public let rules: any StepTool
    public let model: MeteredModel
    public let assignment: Assignment

    public init(rules: any StepTool, model: MeteredModel, assignment: Assignment) {
        self.rules = rules
        self.model = model
        self.assignment = assignment
    }

    public var descriptor: ToolDescriptor { rules.descriptor }

    public func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        let started = ContinuousClock.now
        let fromRules = try await rules.call(input, context: context)
        guard let request = assignment.request(input, fromRules.value) else { return fromRules }
        // The model gets what is left of the step's time, less a margin, so a slow model ends
        // in a fallback rather than the engine's timeout failing the step.
        var model = self.model
        model.timeout = min(model.timeout, context.timeout * 0.9 - started.duration(to: .now))
        let exchange = await model.complete(request, role: .worker)
        var metadata = fromRules.metadata.merging(["model": .string("\(model.model.provider)/\(exchange.call.model)")]) { _, new in new }
        let refusal: String
        switch exchange.result {
        case .failure(let error):
            refusal = "the model failed: \(error)"
        case .success(let response):
            guard let answer = response.json else {
                refusal = "the answer is not JSON: \(ProviderError.clip(response.text, limit: 120))"
                break
            }
            switch assignment.accept(answer, input, fromRules.value) {
            case .success(let output):
                metadata["method"] = "model"
                return ToolOutput(output, metadata: metadata, modelCalls: [exchange.call])
            case .failure(let problem):
                refusal = problem.reason
            }
        }
        return ToolOutput(fromRules.value.merging(["fallback": ["reason": .string(refusal)]]), metadata: metadata,
                          modelCalls: [exchange.call])
    }
}

