import Foundation
import OrchJSON

/// Evaluates output assertions against a case's outputs. Limits are not evaluated here but
/// when the report is built, since they rest on prices (`reprice`).
enum AssertionEvaluator {
    static func evaluate(_ assertion: Assertion, on outputs: CaseOutputs) -> AssertionOutcome? {
        switch assertion.check {
        case .limit: return nil
        case .equals(let selector, let expected):
            return check(assertion, "equals", selector, expected, outputs) { actual in
                actual == expected ? nil : "expected \(expected.summary), got \(actual.summary)"
            }
        case .approx(let selector, let expected, let absolute, let relative):
            let allowed = max(absolute, relative * abs(expected))
            return check(assertion, "approx", selector, .number(expected), outputs) { actual in
                guard let number = actual.doubleValue else { return "expected a number, got \(actual.summary)" }
                return abs(number - expected) <= allowed + 1e-12 ? nil
                    : "\(actual.serialized()) is \(JSONValue.number(abs(number - expected)).serialized()) from \(JSONValue.number(expected).serialized()); allowed \(JSONValue.number(allowed).serialized())"
            }
        case .setEqual(let selector, let expected):
            return check(assertion, "set_equal", selector, .array(expected), outputs) { actual in
                guard let elements = actual.arrayValue else { return "expected an array, got \(actual.summary)" }
                let missing = difference(expected, elements), extra = difference(elements, expected)
                guard !missing.isEmpty || !extra.isEmpty else { return nil }
                return "missing \(JSONValue.array(missing).serialized()), unexpected \(JSONValue.array(extra).serialized())"
            }
        case .contains(let selector, let expected):
            return check(assertion, "contains", selector, expected, outputs) { actual in
                switch (actual, expected) {
                case (.string(let text), .string(let part)): text.contains(part) ? nil : "the text does not contain \(expected.serialized())"
                case (.array(let elements), _): elements.contains(expected) ? nil : "the array does not contain \(expected.serialized())"
                default: "expected a string or an array, got \(actual.summary)"
                }
            }
        case .regex(let selector, let pattern):
            return check(assertion, "regex", selector, .string(pattern), outputs) { actual in
                let text = actual.stringValue ?? actual.serialized()
                guard let expression = try? NSRegularExpression(pattern: pattern) else { return "/\(pattern)/ is not a valid regular expression" }
                return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil
                    ? "no match for /\(pattern)/ in \(JSONValue.string(text).summary)" : nil
            }
        case .itemListF1(let selector, let expected, let tolerance, let minimum):
            let expectedJSON = JSONValue.array(expected.map { ["description": .string($0.description), "quantity": .number($0.quantity), "total": .number($0.total)] })
            switch outputs.select(selector) {
            case .failure(let error):
                return AssertionOutcome(name: assertion.name, kind: "item_list_f1", passed: false, score: 0, expected: expectedJSON, actual: nil, message: error.reason)
            case .success(let actual):
                guard let items = actual.arrayValue else {
                    return AssertionOutcome(name: assertion.name, kind: "item_list_f1", passed: false, score: 0, expected: expectedJSON,
                                            actual: actual, message: "expected an array of items, got \(actual.summary)")
                }
                let result = ItemListScore.score(expected: expected, actual: items, tolerance: tolerance)
                let passed = result.f1 >= minimum - 1e-12
                let message = passed ? "" : "F1 \(rounded(result.f1)) below \(rounded(minimum)): \(result.hits) of \(expected.count) expected items found among \(result.predicted); " + result.misses.joined(separator: "; ")
                return AssertionOutcome(name: assertion.name, kind: "item_list_f1", passed: passed, score: result.f1,
                                        expected: expectedJSON, actual: actual, message: message)
            }
        }
    }

    /// Selects, then runs `problem` (nil when the value passes).
    private static func check(_ assertion: Assertion, _ kind: String, _ selector: Selector, _ expected: JSONValue,
                              _ outputs: CaseOutputs, problem: (JSONValue) -> String?) -> AssertionOutcome {
        switch outputs.select(selector) {
        case .failure(let error):
            return AssertionOutcome(name: assertion.name, kind: kind, passed: false, score: 0, expected: expected, actual: nil, message: error.reason)
        case .success(let actual):
            let message = problem(actual)
            return AssertionOutcome(name: assertion.name, kind: kind, passed: message == nil, score: message == nil ? 1 : 0,
                                    expected: expected, actual: actual, message: message ?? "")
        }
    }

    /// Elements of `a` left after removing one match per element of `b` (multiset difference).
    private static func difference(_ a: [JSONValue], _ b: [JSONValue]) -> [JSONValue] {
        var remaining = b
        return a.filter { element in
            guard let index = remaining.firstIndex(of: element) else { return true }
            remaining.remove(at: index)
            return false
        }
    }

    static func rounded(_ x: Double) -> String { String(format: "%.3f", x) }
}
