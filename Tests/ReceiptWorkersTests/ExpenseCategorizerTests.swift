import ReceiptWorkers
import Testing

@Suite struct ExpenseCategorizerTests {
    let categorizer = ExpenseCategorizer()

    @Test("keyword table", arguments: [
        ("Bagel", "food"), ("BANANAS", "food"), ("Eggs Dozen", "food"), ("Coffee", "beverage"),
        ("Orange Juice", "beverage"), ("Sparkling Water", "beverage"), ("Paper Towels", "household"),
        ("Batteries AA", "household"), ("Unleaded", "fuel"), ("DIESEL", "fuel"), ("Premium Fuel", "fuel"),
        ("Shampoo", "personal_care"), ("Lip Balm", "personal_care"), ("Printer Paper", "office"),
        ("Ballpoint Pens", "office"), ("Envelopes", "office"), ("Phone Charger", "other"), ("", "other"),
    ])
    func keywordTable(description: String, category: String) {
        #expect(categorizer.category(for: description) == category)
    }

    @Test func theLongestKeywordWins() {
        #expect(categorizer.category(for: "Hot Chocolate") == "beverage")
        #expect(categorizer.category(for: "Chocolate") == "food")
        #expect(categorizer.category(for: "Dish Soap") == "household")
        #expect(categorizer.category(for: "Soap") == "personal_care")
    }

    @Test func keywordsMatchWholeWordsOnly() {
        // "steak" holds "tea" and "pencils" holds "pen", but neither is that word.
        #expect(categorizer.category(for: "Steak") == "other")
        #expect(categorizer.category(for: "Pencils") == "office")
        #expect(categorizer.category(for: "Penne") == "other")
    }

    @Test func aCustomTableReplacesTheDefault() {
        let pets = ExpenseCategorizer(table: [("pets", ["dog treat", "cat litter"])])
        #expect(pets.category(for: "Dog Treats") == "pets")
        #expect(pets.category(for: "Coffee") == "other")
    }

    /// The keyword table was written from receipts 1–32; the held-out receipts' items
    /// (`Coke 2L`, `Wax Paper`, …) are measured, not required, in the next test.
    @Test func goldenCategoriesOfEveryOriginalFixtureItem() throws {
        let items = try ReceiptFixture.original().flatMap(\.items)
        let wrong = items.filter { categorizer.category(for: $0.description) != $0.category }
        #expect(items.count >= 100)
        #expect(wrong.map(\.description) == [])
    }

    /// Items the keyword table was not written from: what share lands in its golden category.
    @Test func goldenCategoriesOfHeldOutItemsAreMostlyFound() throws {
        let items = try ReceiptFixture.heldOut().flatMap(\.items)
        let wrong = items.filter { categorizer.category(for: $0.description) != $0.category }
        print("categorizer on held-out items: \(items.count - wrong.count)/\(items.count) in their golden category; missed \(wrong.map { "\($0.description) (\($0.category), got \(categorizer.category(for: $0.description)))" })")
        #expect(items.count >= 240)
        #expect(items.count - wrong.count >= 171)  // measured 171/244 = 70 %: no keyword for Coke, Carrots, Grapes, Zip Bags, …
    }
}
