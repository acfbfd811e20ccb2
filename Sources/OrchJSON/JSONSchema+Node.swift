import Foundation

/// The JSON Schema type names, with `integer` meaning a whole number.
enum SchemaType: String, CaseIterable, Sendable {
    case null, boolean, integer, number, string, array, object

    func admits(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.number, .number), (.string, .string),
            (.array, .array), (.object, .object):
            true
        case (.integer, .number(let n)):
            n.isFinite && n.rounded() == n
        default:
            false
        }
    }
}

/// A compiled schema: each keyword parsed once so checking a value does no dictionary lookups
/// on the schema document.
struct SchemaNode: Sendable {
    /// Lets a schema hold schemas of its own kind (`items`, `additionalProperties`).
    final class Box: Sendable {
        let node: SchemaNode
        init(_ node: SchemaNode) { self.node = node }
    }

    enum Additional: Sendable {
        case allowed
        case forbidden
        case schema(Box)
    }

    struct Bound: Sendable {
        var limit: Double
        var exclusive: Bool
    }

    struct Pattern: Sendable {
        var source: String
        var regex: NSRegularExpression
    }

    /// `false` as a schema: nothing conforms.
    var rejectsAll = false
    var types: [SchemaType]?
    /// Boxed: looking a property up then copies a reference, not the whole node.
    var properties: [String: Box] = [:]
    var required: [String] = []
    var additional: Additional = .allowed
    var items: Box?
    var allowedValues: [JSONValue]?
    /// `const`, wrapped so that `const: null` differs from no `const`.
    var constant: [JSONValue]?
    var lowerBounds: [Bound] = []
    var upperBounds: [Bound] = []
    var minLength: Int?
    var maxLength: Int?
    var minItems: Int?
    var maxItems: Int?
    var pattern: Pattern?
    var allOf: [SchemaNode] = []
    var anyOf: [SchemaNode] = []
    var oneOf: [SchemaNode] = []

    /// Whether a value of this JSON type could conform; used to pick the alternative of an
    /// `anyOf` / `oneOf` whose problems are worth reporting.
    func admitsType(of value: JSONValue) -> Bool {
        !rejectsAll && (types?.contains { $0.admits(value) } ?? true)
    }
}
