import Foundation
import OrchJSON

/// Which model names a price entry covers, as genai-prices writes it (copied into
/// `Fixtures/pricing.json` by scripts/make_pricing.py): `{"equals": …}`, `{"starts_with": …}`,
/// `{"ends_with": …}`, `{"contains": …}`, `{"regex": …}`, or `{"any_of": [...]}` /
/// `{"all_of": [...]}` of those. Names are compared in lower case, as genai-prices does.
public indirect enum PriceMatch: Sendable, Equatable {
    case equals(String), startsWith(String), endsWith(String), contains(String), regex(String)
    case anyOf([PriceMatch]), allOf([PriceMatch])

    /// Reads a clause; `nil` when `json` is none of the forms above.
    public init?(json: JSONValue) {
        guard let object = json.objectValue, object.count == 1, let (key, value) = object.first else { return nil }
        if let list = value.arrayValue, key == "any_of" || key == "all_of" {
            let clauses = list.compactMap(PriceMatch.init(json:))
            guard clauses.count == list.count else { return nil }
            self = key == "any_of" ? .anyOf(clauses) : .allOf(clauses)
            return
        }
        guard let text = value.stringValue else { return nil }
        switch key {
        case "equals": self = .equals(text)
        case "starts_with": self = .startsWith(text)
        case "ends_with": self = .endsWith(text)
        case "contains": self = .contains(text)
        case "regex": self = .regex(text)
        default: return nil
        }
    }

    /// Whether `model` (any case) is covered.
    public func matches(_ model: String) -> Bool {
        let name = model.lowercased()
        switch self {
        case .equals(let text): return name == text
        case .startsWith(let text): return name.hasPrefix(text)
        case .endsWith(let text): return name.hasSuffix(text)
        case .contains(let text): return name.contains(text)
        case .regex(let pattern): return name.range(of: pattern, options: .regularExpression) != nil
        case .anyOf(let clauses): return clauses.contains { $0.matches(name) }
        case .allOf(let clauses): return clauses.allSatisfy { $0.matches(name) }
        }
    }
}
