import OrchJSON
import Providers
import Testing

@Suite struct PriceTableTests {
    let table = try! PriceTable(json: [
        "version": 1, "local_usd_per_second": 0,
        "models": [
            ["provider": "openai", "model": "gpt-4o", "input_per_million": 2.5, "output_per_million": 10,
             "cached_input_per_million": 1.25, "source": "test", "date": "2026-12-02"],
            ["provider": "openai", "model": "gpt-4o-mini", "input_per_million": 0.15, "output_per_million": 0.6,
             "source": "test", "date": "2026-12-02"],
        ],
    ])

    @Test func costFromUsageWithCachedInput() {
        let usage = TokenUsage(inputTokens: 1_000_000, outputTokens: 100_000, cachedInputTokens: 400_000)
        // 600k × 2.5 + 400k × 1.25 + 100k × 10, per million.
        #expect(table.cost(provider: "openai", model: "gpt-4o", usage: usage) == 1.5 + 0.5 + 1.0)
    }

    @Test func datedModelsMatchTheLongestListedName() {
        #expect(table.price(provider: "openai", model: "gpt-4o-mini-2024-07-18")?.model == "gpt-4o-mini")
        #expect(table.price(provider: "openai", model: "gpt-4o-2024-08-06")?.model == "gpt-4o")
        #expect(table.price(provider: "openai", model: "gpt-4") == nil)
    }

    @Test func unknownUsageOrPriceIsUnknownCost() {
        #expect(table.cost(provider: "openai", model: "gpt-4o", usage: nil) == nil)
        #expect(table.cost(provider: "anthropic", model: "claude", usage: TokenUsage(inputTokens: 1, outputTokens: 1)) == nil)
    }

    @Test func localModelsCostZeroOrComputeTime() {
        #expect(table.cost(provider: "openai-compatible", model: "qwen", usage: nil) == 0)
        let paid = PriceTable(prices: [], localUSDPerSecond: 0.001)
        #expect(paid.cost(provider: "ollama", model: "phi3", usage: nil, computeSeconds: 2) == 0.002)
        #expect(paid.cost(provider: "ollama", model: "phi3", usage: nil) == nil)
    }

    @Test func aBadEntryNamesItsIndex() {
        #expect { try PriceTable(json: ["models": [["provider": "openai"]]]) } throws: {
            ($0 as? ProviderError)?.message.contains("models[0]") == true
        }
    }
}
