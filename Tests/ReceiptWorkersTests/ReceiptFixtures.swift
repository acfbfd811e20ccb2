import Foundation
import OrchJSON
import ReceiptWorkers
import Testing

/// The committed receipts in Fixtures/receipts and their golden data.
struct ReceiptFixture: CustomTestStringConvertible {
    struct GoldenItem {
        var description: String
        var quantity: Double
        var unitPrice: Double
        var total: Double
        var category: String
    }

    var name: String
    /// Made after the parser was written (`"held_out_round"` in manifest.json): round 1
    /// (33–46) was measured, then used to write general rules; round 2 (47–58) was never used
    /// to change the parser. nil for the receipts the parser was first written from.
    var heldOutRound: Int?
    var heldOut: Bool { heldOutRound != nil }
    var image: URL
    var items: [GoldenItem]
    var subtotal: Double
    var tax: Double
    var total: Double

    var testDescription: String { name }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/receipts")

    /// Every `NAME.png` with a `NAME.json` beside it, sorted by name.
    static func all() throws -> [ReceiptFixture] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".png") }.sorted()
        let rounds = try heldOutRounds()
        return try names.map { try load(String($0.dropLast(4)), heldOutRounds: rounds) }
    }

    /// receipt-01 … receipt-32 and the seed receipt: what the parser's rules were written from.
    static func original() throws -> [ReceiptFixture] { try all().filter { !$0.heldOut } }

    /// The held-out receipts of one round, or of both.
    static func heldOut(round: Int? = nil) throws -> [ReceiptFixture] {
        try all().filter { $0.heldOut && (round == nil || $0.heldOutRound == round) }
    }

    /// The `held_out_round` of each receipt manifest.json marks `"held_out": true`.
    static func heldOutRounds() throws -> [String: Int] {
        let manifest = try JSONValue(parsing: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
        var rounds: [String: Int] = [:]
        for receipt in manifest["receipts"]?.arrayValue ?? [] where receipt["held_out"]?.boolValue == true {
            if let name = receipt["name"]?.stringValue { rounds[name] = receipt["held_out_round"]?.intValue ?? 1 }
        }
        return rounds
    }

    static func load(_ name: String, heldOutRounds: [String: Int] = [:]) throws -> ReceiptFixture {
        let golden = try JSONValue(parsing: Data(contentsOf: directory.appendingPathComponent("\(name).json")))
        let items = (golden["items"]?.arrayValue ?? []).map { item in
            GoldenItem(
                description: item["description"]?.stringValue ?? "", quantity: item["quantity"]?.doubleValue ?? 0,
                unitPrice: item["unit_price"]?.doubleValue ?? 0, total: item["total"]?.doubleValue ?? 0,
                category: item["category"]?.stringValue ?? "")
        }
        return ReceiptFixture(
            name: name, heldOutRound: heldOutRounds[name], image: directory.appendingPathComponent("\(name).png"), items: items,
            subtotal: golden["subtotal"]?.doubleValue ?? 0, tax: golden["tax"]?.doubleValue ?? 0,
            total: golden["total"]?.doubleValue ?? 0)
    }
}

/// Item-level agreement between parsed and golden items: an item matches when its
/// description (lower-cased, letters and digits only, so "GREENTEA" = "Green Tea"), quantity
/// and total are equal. Each golden item is matched at most once.
struct ItemScore: CustomStringConvertible {
    var matched = 0
    var golden = 0
    var parsed = 0

    init() {}

    init(parsed: [LineItem], golden: [ReceiptFixture.GoldenItem]) {
        self.golden = golden.count
        self.parsed = parsed.count
        var unmatched = golden
        for item in parsed {
            if let index = unmatched.firstIndex(where: { Self.same(item, $0) }) {
                unmatched.remove(at: index)
                matched += 1
            }
        }
    }

    static func normalized(_ description: String) -> String {
        String(description.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    static func same(_ item: LineItem, _ golden: ReceiptFixture.GoldenItem) -> Bool {
        normalized(item.description) == normalized(golden.description)
            && abs(item.quantity - golden.quantity) < 0.0005 && abs(item.total - golden.total) < 0.005
    }

    static func + (a: ItemScore, b: ItemScore) -> ItemScore {
        var sum = ItemScore()
        sum.matched = a.matched + b.matched
        sum.golden = a.golden + b.golden
        sum.parsed = a.parsed + b.parsed
        return sum
    }

    /// Share of golden items recovered.
    var recall: Double { golden == 0 ? 1 : Double(matched) / Double(golden) }
    /// Share of parsed items that are right.
    var precision: Double { parsed == 0 ? 1 : Double(matched) / Double(parsed) }

    var description: String {
        "\(matched)/\(golden) golden items recovered (recall \(Self.percent(recall))), \(matched)/\(parsed) parsed items right (precision \(Self.percent(precision)))"
    }

    private static func percent(_ value: Double) -> String { "\((value * 1000).rounded() / 10)%" }
}

/// A line item written the way parser tests read best: description, quantity, unit price, total.
func item(_ description: String, _ quantity: Double, _ unit: Double, _ total: Double) -> LineItem {
    LineItem(description: description, quantity: quantity, unitPrice: unit, total: total)
}
