/// The `expense_categorizer` worker: a category for an item description from a keyword table.
///
/// The description is lower-cased and split into words; a keyword matches whole words, plural
/// or not ("bananas" matches "banana", "batteries" matches "battery"). The longest matching keyword
/// wins, so "hot chocolate" is a beverage while "chocolate" is food and "paper towels" is
/// household while "paper" is office. No match: `other`. The table is in docs/receipts.md.
public struct ExpenseCategorizer: Sendable {
    /// Category names and their keywords (one or more words each).
    public let table: [(category: String, keywords: [String])]

    public init(table: [(category: String, keywords: [String])] = ExpenseCategorizer.defaultTable) {
        self.table = table
    }

    /// The category that the fallback uses when no keyword matches.
    public static let fallback = "other"

    public static let defaultTable: [(category: String, keywords: [String])] = [
        ("food", [
            "bagel", "croissant", "sandwich", "banana", "apple", "bread", "egg", "cheese", "pasta", "soup",
            "muffin", "yogurt", "rice", "chicken", "beef", "pork", "fish", "cereal", "butter", "granola",
            "granola bar", "donut", "doughnut", "salad", "fruit", "vegetable", "pizza", "burger", "fries",
            "cookie", "cake", "chips", "snack", "chocolate", "candy", "tomato", "potato", "onion", "flour",
            "sugar", "sauce", "meal", "breakfast", "lunch", "dinner",
        ]),
        ("beverage", [
            "coffee", "latte", "espresso", "cappuccino", "mocha", "tea", "green tea", "juice", "orange juice",
            "soda", "cola", "water", "sparkling water", "lemonade", "hot chocolate", "cocoa", "milk",
            "smoothie", "beer", "wine", "kombucha",
        ]),
        ("household", [
            "paper towel", "towel", "dish soap", "detergent", "laundry", "trash bag", "garbage bag", "light bulb",
            "bulb", "sponge", "battery", "foil", "aluminum foil", "cleaner", "bleach", "napkin",
            "toilet paper", "plastic wrap",
        ]),
        ("fuel", ["fuel", "unleaded", "diesel", "gasoline", "gas", "petrol", "premium fuel", "kerosene"]),
        ("personal_care", [
            "shampoo", "conditioner", "toothpaste", "toothbrush", "deodorant", "lotion", "hand lotion", "razor",
            "sunscreen", "lip balm", "soap", "floss", "tissue", "cosmetic", "vitamin", "bandage",
        ]),
        ("office", [
            "paper", "printer paper", "pen", "ballpoint", "stapler", "staple", "sticky note", "notebook",
            "envelope", "highlighter", "binder", "binder clip", "folder", "ink", "toner", "tape", "marker",
            "pencil",
        ]),
    ]

    /// The category for one item description.
    public func category(for description: String) -> String {
        let words = description.lowercased().split { !$0.isLetter }
        var best: (category: String, length: Int)?
        for (category, keywords) in table {
            for keyword in keywords {
                let parts = keyword.split(separator: " ")
                guard parts.count > (best?.length ?? 0), Self.contains(words, parts) else { continue }
                best = (category, parts.count)
            }
        }
        return best?.category ?? Self.fallback
    }

    private static func contains(_ words: [Substring], _ parts: [Substring]) -> Bool {
        guard !parts.isEmpty, words.count >= parts.count else { return false }
        return (0...(words.count - parts.count)).contains { start in
            zip(words[start...], parts).allSatisfy(matches)
        }
    }

    /// `word` is `part` or one of its plurals: +s, +es, y → ies.
    private static func matches(_ word: Substring, _ part: Substring) -> Bool {
        word == part || word == part + "s" || word == part + "es" || (part.hasSuffix("y") && word == part.dropLast() + "ies")
    }
}
