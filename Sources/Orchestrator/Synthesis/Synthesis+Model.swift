import Foundation
import Providers

extension Synthesis {
    /// A model's final answer to the rendered template (`final_synthesis.meta.synthesis_model`
    /// names the model). When the model fails or answers with nothing, the rendered template is
    /// the synthesis and `fallbackReason` says why.
    public static func write(_ rendered: String, with model: MeteredModel) async -> (text: String, call: ModelCall, fallbackReason: String?) {
        let request = ChatRequest(system: "Write the final answer for the user from the step results below. Be brief and exact.",
                                  messages: [.user(rendered)], temperature: 0, maxOutputTokens: 600)
        let exchange = await model.complete(request, role: .synthesis)
        switch exchange.result {
        case .success(let response) where !response.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
            return (response.text, exchange.call, nil)
        case .success:
            return (rendered, exchange.call, "the model's answer was empty")
        case .failure(let error):
            return (rendered, exchange.call, "the model failed: \(error)")
        }
    }
}
