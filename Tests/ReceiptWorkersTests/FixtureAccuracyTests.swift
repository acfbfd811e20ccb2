import Foundation
import ReceiptWorkers
import Testing

@Suite struct FixtureAccuracyTests {
    @Test func recordedTextParsesToGoldenItems() async throws {
        let fixtures = try ReceiptFixture.all()
        let ocr = ReceiptOCR(mode: .fixture)
        var total = ItemScore()
        for fixture in fixtures {
            let text = try await ocr.recognize(imageURI: fixture.image.path).text
            let parsed = LineItemParser().parse(text)
            let score = ItemScore(parsed: parsed.items, golden: fixture.items)
            total = total + score
            if score.matched < score.golden || score.matched < score.parsed {
                print("\(fixture.name): \(score)")
                for item in parsed.items { print("   parsed: \(item.description) | \(item.quantity) | \(item.unitPrice) | \(item.total)") }
                for item in fixture.items { print("   golden: \(item.description) | \(item.quantity) | \(item.unitPrice) | \(item.total)") }
            }
        }
        print("fixture text: \(total)")
    }
}

@Suite struct LiveAccuracy {
    @Test func live() async throws {
        let fixtures = try ReceiptFixture.all()
        let ocr = ReceiptOCR(mode: .tesseract)
        var total = ItemScore()
        var same = 0
        for fixture in fixtures {
            let text = try await ocr.recognize(imageURI: fixture.image.path).text
            let recorded = try String(contentsOf: fixture.image.deletingPathExtension().appendingPathExtension("txt"), encoding: .utf8)
            if text == recorded { same += 1 }
            let parsed = LineItemParser().parse(text)
            total = total + ItemScore(parsed: parsed.items, golden: fixture.items)
        }
        print("live: \(total), identical text \(same)/\(fixtures.count)")
    }
}
