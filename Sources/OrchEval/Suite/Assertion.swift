import OrchJSON

/// One expectation about a case's result (docs/suites.md, "Assertions"). Output assertions
/// look at a value chosen by a `Selector`; limits look at the case's cost or latency.
public struct Assertion: Sendable, Equatable {
    /// How the assertion is named in reports; defaults to `kind select`.
    public var name: String
    public var check: Check

    public init(name: String, check: Check) {
        self.name = name
        self.check = check
    }

    public enum Check: Sendable, Equatable {
        case equals(Selector, JSONValue)
        /// Passes when |actual − expected| ≤ max(absolute, relative × |expected|).
        case approx(Selector, expected: Double, absolute: Double, relative: Double)
        /// Both arrays hold the same elements as multisets, in any order.
        case setEqual(Selector, [JSONValue])
        /// A string holds the text, or an array holds the element.
        case contains(Selector, JSONValue)
        /// The selected string (a non-string is serialized first) matches the pattern somewhere.
        case regex(Selector, pattern: String)
        /// F1 of receipt items against the expected ones; passes at `minimum` or above.
        case itemListF1(Selector, expected: [ExpectedItem], tolerance: ItemTolerance, minimum: Double)
        case limit(Limit)
    }

    /// The limit this assertion sets, when it is a cost or latency limit.
    public var limit: Limit? { if case .limit(let limit) = check { limit } else { nil } }
}

/// A ceiling on a case's cost or latency. Evaluated when a report is built, so `reprice`
/// re-evaluates cost limits under the new prices.
public struct Limit: Sendable, Equatable, Codable {
    public enum Measure: String, Sendable, Codable {
        case costUSD = "cost_usd", virtualMs = "virtual_ms", wallMs = "wall_ms"
    }
    public var name: String
    public var measure: Measure
    public var maximum: Double

    public init(name: String, measure: Measure, maximum: Double) {
        self.name = name
        self.measure = measure
        self.maximum = maximum
    }
}

/// Where an output assertion looks: `step:ID.path` (ID is a step of the golden plan; for a
/// predicted plan it means the step aligned with it), or `synthesis` (the final text).
public struct Selector: Sendable, Equatable, CustomStringConvertible {
    /// The golden step id, or nil for the synthesis.
    public var stepID: String?
    public var path: JSONPath

    public init(stepID: String?, path: JSONPath = JSONPath(segments: [])) {
        self.stepID = stepID
        self.path = path
    }

    public var description: String {
        let head = stepID.map { "step:\($0)" } ?? "synthesis"
        return path.segments.isEmpty ? head : "\(head).\(path)"
    }

    /// Parses `text` against the golden plan's step ids; the longest id that matches wins, as
    /// in plan references. Nil when it names no step.
    public static func parse(_ text: String, stepIDs: Set<String>) -> Selector? {
        if text == "synthesis" { return Selector(stepID: nil) }
        guard text.hasPrefix("step:") else { return nil }
        let body = text.dropFirst("step:".count)
        var end = body.endIndex
        while true {
            let candidate = String(body[..<end])
            if stepIDs.contains(candidate) {
                let rest = body[end...].dropFirst()
                return Selector(stepID: candidate, path: JSONPath(rest.isEmpty ? "" : String(rest)))
            }
            guard let dot = body[..<end].lastIndex(of: ".") else { return nil }
            end = dot
        }
    }
}

/// A receipt line as the golden data gives it.
public struct ExpectedItem: Sendable, Equatable, Codable {
    public var description: String
    public var quantity: Double
    public var total: Double

    public init(description: String, quantity: Double, total: Double) {
        self.description = description
        self.quantity = quantity
        self.total = total
    }
}

/// When a predicted item counts as the expected one: descriptions alike at least
/// `description` (1 − edit distance / longer length, case and spacing ignored), quantity
/// and total within their absolute tolerances.
public struct ItemTolerance: Sendable, Equatable, Codable {
    public var description: Double
    public var quantity: Double
    public var total: Double

    public init(description: Double = 0.8, quantity: Double = 0.001, total: Double = 0.01) {
        self.description = description
        self.quantity = quantity
        self.total = total
    }
}
