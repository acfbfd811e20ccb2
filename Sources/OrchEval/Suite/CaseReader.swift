import Foundation
import Orchestrator
import OrchJSON

/// Reads one case after the schema passed: the golden plan (inline or from a file), and each
/// assertion's kind-specific fields, collecting every problem with its field.
struct CaseReader {
    struct Problems: Error { var problems: [String] }

    let json: JSONValue
    let folder: URL
    private var problems: [String] = []

    init(json: JSONValue, folder: URL) {
        self.json = json
        self.folder = folder
    }

    mutating func read() throws(Problems) -> SuiteCase {
        let plan = goldenPlan()
        // Read from the JSON, so a plan with other problems still checks its selectors.
        let stepIDs = Set(plan?["steps"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
        var assertions: [Assertion] = []
        for (index, value) in (json["assertions"]?.arrayValue ?? []).enumerated() {
            if let assertion = assertion(value, field: "assertions[\(index)]", stepIDs: stepIDs) { assertions.append(assertion) }
        }
        guard problems.isEmpty, let plan else { throw Problems(problems: problems) }
        return SuiteCase(id: json["id"]!.stringValue!, request: json["request"]!.stringValue!,
                         inputs: json["inputs"]?.objectValue ?? [:], goldenPlan: plan, assertions: assertions,
                         tags: json["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    private mutating func goldenPlan() -> JSONValue? {
        var plan = json["golden_plan"]
        if let file = json["golden_plan_file"]?.stringValue {
            guard plan == nil else { problems.append("give either golden_plan or golden_plan_file, not both"); return nil }
            do { plan = try PlanFile.read(resolve(file, against: folder).path) } catch {
                problems.append("golden_plan_file: \(error)")
                return nil
            }
        }
        guard let plan else { problems.append("golden_plan: missing (the plan a perfect planner would write)"); return nil }
        do { _ = try Plan(json: plan) } catch {
            problems += error.problems.map { "golden_plan: \($0)" }
            return nil
        }
        return plan
    }

    private mutating func assertion(_ value: JSONValue, field: String, stepIDs: Set<String>) -> Assertion? {
        let kind = value["kind"]!.stringValue!
        func number(_ key: String) -> Double? { value[key]?.doubleValue }
        func require(_ key: String) -> JSONValue? {
            if let found = value[key] { return found }
            problems.append("\(field) (\(kind)): '\(key)' is missing")
            return nil
        }
        var selector: Selector?
        if !["max_cost", "max_latency"].contains(kind), let text = require("select")?.stringValue {
            selector = Selector.parse(text, stepIDs: stepIDs)
            if selector == nil {
                problems.append("\(field) (\(kind)): select '\(text)' names no step of the golden plan (steps: \(stepIDs.sorted().joined(separator: ", "))); write step:ID.path or synthesis")
            }
        }
        let name = value["name"]?.stringValue ?? "\(kind)" + (value["select"]?.stringValue.map { " \($0)" } ?? "")
        let check: Assertion.Check?
        switch kind {
        case "max_cost":
            check = require("usd")?.doubleValue.map { .limit(Limit(name: name, measure: .costUSD, maximum: $0)) }
        case "max_latency":
            let measure: Limit.Measure = value["clock"]?.stringValue == "wall" ? .wallMs : .virtualMs
            check = require("ms")?.doubleValue.map { .limit(Limit(name: name, measure: measure, maximum: $0)) }
        default:
            guard let selector else { return nil }
            check = outputCheck(kind, selector: selector, value: value, field: field)
        }
        return check.map { Assertion(name: name, check: $0) }
    }

    private mutating func outputCheck(_ kind: String, selector: Selector, value: JSONValue, field: String) -> Assertion.Check? {
        let expected = value["expected"]
        let missing = "\(field) (\(kind)): 'expected' is missing"
        switch kind {
        case "equals", "contains":
            guard let expected else { problems.append(missing); return nil }
            return kind == "equals" ? .equals(selector, expected) : .contains(selector, expected)
        case "approx":
            guard let number = expected?.doubleValue else { problems.append("\(field) (approx): 'expected' must be a number"); return nil }
            return .approx(selector, expected: number, absolute: value["abs"]?.doubleValue ?? 0, relative: value["rel"]?.doubleValue ?? 0)
        case "set_equal":
            guard let elements = expected?.arrayValue else { problems.append("\(field) (set_equal): 'expected' must be an array"); return nil }
            return .setEqual(selector, elements)
        case "regex":
            guard let pattern = value["pattern"]?.stringValue else { problems.append("\(field) (regex): 'pattern' is missing"); return nil }
            guard (try? NSRegularExpression(pattern: pattern)) != nil else {
                problems.append("\(field) (regex): pattern '\(pattern)' is not a valid regular expression")
                return nil
            }
            return .regex(selector, pattern: pattern)
        default:  // item_list_f1
            guard let elements = expected?.arrayValue else { problems.append("\(field) (item_list_f1): 'expected' must be an array of items"); return nil }
            var items: [ExpectedItem] = []
            for (index, element) in elements.enumerated() {
                guard let description = element["description"]?.stringValue, let total = element["total"]?.doubleValue else {
                    problems.append("\(field) (item_list_f1): expected[\(index)] needs a 'description' string and a 'total' number")
                    continue
                }
                items.append(ExpectedItem(description: description, quantity: element["quantity"]?.doubleValue ?? 1, total: total))
            }
            let tolerance = ItemTolerance(description: value["description_similarity"]?.doubleValue ?? 0.8,
                                          quantity: value["quantity_tolerance"]?.doubleValue ?? 0.001,
                                          total: value["total_tolerance"]?.doubleValue ?? 0.01)
            return .itemListF1(selector, expected: items, tolerance: tolerance, minimum: value["min_f1"]?.doubleValue ?? 1)
        }
    }
}
