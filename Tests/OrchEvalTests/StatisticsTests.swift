import Testing
@testable import OrchEval

@Suite("statistics")
struct StatisticsTests {
    @Test("the bootstrap is seeded: the same values give the same interval, around the mean")
    func deterministicInterval() throws {
        let values = (0..<40).map { Double($0 % 7) / 6 }
        let first = try #require(Bootstrap.mean(values)), second = try #require(Bootstrap.mean(values))
        #expect(first == second)
        #expect(abs(first.mean - values.reduce(0, +) / 40) < 1e-12)
        #expect(first.low < first.mean && first.mean < first.high)
        #expect(first.n == 40)
    }

    @Test("constant values have a zero-width interval; a ratio of paired means")
    func degenerateCases() throws {
        let constant = try #require(Bootstrap.mean([0.5, 0.5, 0.5]))
        #expect(constant.low == 0.5 && constant.high == 0.5)
        let ratio = try #require(Bootstrap.ratio([1, 2, 3], [2, 4, 6]))
        #expect(ratio.mean == 0.5 && ratio.low == 0.5 && ratio.high == 0.5)
        #expect(Bootstrap.ratio([1], [0]) == nil)
    }
}
