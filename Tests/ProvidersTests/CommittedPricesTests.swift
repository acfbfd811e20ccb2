import Foundation
import OrchJSON
import Providers
import Testing

/// Fixtures/pricing.json (made by scripts/make_pricing.py from genai-prices) prices the
/// models the project uses, as the answering provider reports them.
@Suite struct CommittedPricesTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/pricing.json")
    let table = try! PriceTable.load(Self.file)

    @Test(arguments: [
        ("openai", "gpt-4o", 2.5, 10.0, 1.25), ("openai", "gpt-4o-2024-08-06", 2.5, 10.0, 1.25),
        ("openai", "gpt-4o-mini-2024-07-18", 0.15, 0.6, 0.075), ("openai", "gpt-4o-2024-05-13", 5.0, 15.0, 5.0),
        ("anthropic", "claude-haiku-4-5-20251001", 1.0, 5.0, 0.1), ("anthropic", "claude-3-5-haiku-20241022", 0.8, 4.0, 0.08),
        ("anthropic", "claude-sonnet-4-20250514", 3.0, 15.0, 0.3), ("anthropic", "claude-sonnet-4-6", 3.0, 15.0, 0.3),
        ("gemini", "gemini-2.5-flash", 0.3, 2.5, 0.03), ("gemini", "gemini-2.5-pro", 1.25, 10.0, 0.125),
        ("azure-openai", "gpt-4o-2024-08-06", 2.5, 10.0, 1.25), ("azure-inference", "Phi-3-mini-128k-instruct", 0.13, 0.52, 0.13),
    ])
    func listPrices(provider: String, model: String, input: Double, output: Double, cached: Double) throws {
        let price = try #require(table.price(provider: provider, model: model), "\(provider) \(model)")
        #expect(price.inputPerMillion == input)
        #expect(price.outputPerMillion == output)
        #expect((price.cachedInputPerMillion ?? price.inputPerMillion) == cached)
        #expect(price.source.contains("genai-prices") && !price.date.isEmpty)
    }

    @Test func aLongPromptPaysItsTierForEveryToken() throws {
        let short = TokenUsage(inputTokens: 200_000, outputTokens: 1_000)
        let long = TokenUsage(inputTokens: 200_001, outputTokens: 1_000)
        // gemini-2.5-pro: 1.25 / 10 up to 200k prompt tokens, 2.5 / 15 above.
        let base: Double = (200_000 * 1.25 + 1_000 * 10) / 1_000_000
        let tier: Double = (200_001 * 2.5 + 1_000 * 15) / 1_000_000
        #expect(table.cost(provider: "gemini", model: "gemini-2.5-pro", usage: short) == base)
        #expect(table.cost(provider: "gemini", model: "gemini-2.5-pro", usage: long) == tier)
    }

    @Test func textToSpeechModelsAreNotPricedAsTheChatModel() {
        #expect(table.price(provider: "gemini", model: "gemini-2.5-pro-preview-tts")?.model != "gemini-2.5-pro")
    }

    @Test func localModelsCostZeroAndUnknownModelsAreUnknown() {
        #expect(table.cost(provider: "ollama", model: "qwen2.5-coder:0.5b", usage: TokenUsage(inputTokens: 10, outputTokens: 10)) == 0)
        #expect(table.cost(provider: "anthropic", model: "claude-unknown-9", usage: TokenUsage(inputTokens: 10, outputTokens: 10)) == nil)
    }
}
