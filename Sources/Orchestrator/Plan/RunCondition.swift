import Foundation
import OrchJSON

/// A step's `run_if`: `step:ID.path` (run when the value is truthy), `not step:ID.path`, or
/// `step:ID.path OP LITERAL` with OP one of `== != > >= < <=` and a JSON literal (`3`,
/// `"food"`, `true`, `null`; a bare word is a string). A false condition skips the step.
public struct RunCondition: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        // Two-character operators first so `>=` is not read as `>`.
        case equal = "==", notEqual = "!=", greaterOrEqual = ">=", lessOrEqual = "<=", greater = ">", less = "<"
    }

    public var source: String
    public var negated: Bool
    /// The reference as written; validation resolves it against the plan's step ids.
    public var referenceText: String
    public var comparison: (op: Operator, literal: JSONValue)?

    public static func == (a: RunCondition, b: RunCondition) -> Bool { a.source == b.source }
    public var description: String { source }

    /// Parses the text, or returns a sentence saying what is wrong with it.
    public static func parse(_ text: String) -> Result<RunCondition, ConditionSyntaxError> {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var negated = false
        if rest.hasPrefix("not ") {
            negated = true
            rest = rest.dropFirst(4).drop(while: \.isWhitespace)
        }
        let referenceText = String(rest.prefix { !$0.isWhitespace && !"=!<>".contains($0) })
        guard StepReference.looksLikeReference(referenceText) else {
            return .failure(ConditionSyntaxError(message: "expected a step reference such as 'step:check.ok' or 'step:total.amount > 10', got '\(text)'"))
        }
        rest = rest.dropFirst(referenceText.count).drop(while: \.isWhitespace)
        var condition = RunCondition(source: text, negated: negated, referenceText: referenceText, comparison: nil)
        guard !rest.isEmpty else { return .success(condition) }
        guard let op = Operator.allCases.first(where: { rest.hasPrefix($0.rawValue) }) else {
            return .failure(ConditionSyntaxError(message: "expected one of == != > >= < <= after '\(referenceText)', got '\(rest)'"))
        }
        let literalText = rest.dropFirst(op.rawValue.count).trimmingCharacters(in: .whitespaces)
        guard !literalText.isEmpty else {
            return .failure(ConditionSyntaxError(message: "nothing to compare with after '\(op.rawValue)'"))
        }
        // Compared as text, `step:a.n > step:b.n` would quietly skip the step (or fail it).
        guard !StepReference.looksLikeReference(literalText) else {
            return .failure(ConditionSyntaxError(message: "the right side '\(literalText)' is a reference; run_if compares a step's value with a literal such as 10 or \"food\""))
        }
        let literal = (try? JSONValue(parsing: literalText)) ?? .string(literalText)
        condition.comparison = (op, literal)
        return .success(condition)
    }

    /// Decides the condition on the referenced value.
    func holds(for value: JSONValue) -> Result<Bool, ConditionSyntaxError> {
        guard let (op, literal) = comparison else { return .success(value.isTruthy != negated) }
        let outcome: Bool
        switch op {
        case .equal: outcome = value == literal
        case .notEqual: outcome = value != literal
        default:
            guard let lhs = value.doubleValue, let rhs = literal.doubleValue else {
                return .failure(ConditionSyntaxError(message: "'\(op.rawValue)' compares numbers, but the value is \(value.typeName) \(value) and the literal \(literal)"))
            }
            switch op {
            case .greater: outcome = lhs > rhs
            case .greaterOrEqual: outcome = lhs >= rhs
            case .less: outcome = lhs < rhs
            default: outcome = lhs <= rhs
            }
        }
        return .success(outcome != negated)
    }
}

/// Why a `run_if` cannot be read or decided.
public struct ConditionSyntaxError: Error, Sendable, Equatable {
    public var message: String
}
