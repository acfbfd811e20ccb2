import Foundation

/// A compiled JSON Schema for the subset tool arguments use, checked against `JSONValue`s.
///
/// Supported keywords: `type` (a name or an array of names; `"integer"` is a whole number),
/// `properties`, `required`, `additionalProperties` (a boolean or a schema), `items`, `enum`,
/// `const`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (numbers, or the
/// draft-4 booleans), `minLength`, `maxLength`, `minItems`, `maxItems`, `pattern`
/// (unanchored, like ECMA-262 `RegExp.test`, with ECMA's `$`, `\d` and `\w`; see
/// `ECMAPattern`), `anyOf`, `oneOf`, `allOf`.
/// Annotations (`description`, `title`, `default`, `examples`, `format`, …) are ignored.
/// Other keywords (`$ref`, `not`, …) are not checked; `unsupportedKeywords` lists where they
/// appear so a caller can warn that part of a schema is not enforced.
///
/// ```swift
/// let schema = try JSONSchema(["type": "object", "required": ["amount"],
///                              "properties": ["amount": ["type": "number"]]])
/// schema.violations(of: ["amount": "abc"])
/// // [SchemaViolation(path: "amount", message: "expected number, got string \"abc\"")]
/// ```
public struct JSONSchema: Sendable {
    /// The schema document as given.
    public let source: JSONValue
    /// Schema locations (e.g. `"properties.when.$ref"`) of keywords this validator does not enforce.
    public let unsupportedKeywords: [String]
    let root: SchemaNode

    /// Compiles `schema`; throws when a supported keyword has a value of the wrong shape
    /// (an unknown type name, a `required` that is not a list of strings, a bad regex, …).
    public init(_ schema: JSONValue) throws(JSONSchemaError) {
        var compiler = SchemaCompiler()
        root = try compiler.compile(schema, at: [])
        source = schema
        unsupportedKeywords = compiler.unsupported
    }

    /// Every way `value` breaks the schema, in document order; empty when it conforms.
    public func violations(of value: JSONValue) -> [SchemaViolation] {
        guard !accepts(value) else { return [] }
        return findings(of: value, collectingAll: true).violations
    }

    /// Whether `value` conforms (no violations); stops at the first problem.
    public func accepts(_ value: JSONValue) -> Bool {
        !findings(of: value, collectingAll: false).failed
    }

    private func findings(of value: JSONValue, collectingAll: Bool) -> SchemaFindings {
        var found = SchemaFindings(collectsAll: collectingAll)
        var path: [String] = []
        root.check(value, path: &path, into: &found)
        return found
    }
}

/// One way a value breaks a schema: where (`"items.2.total"`, `""` for the value itself)
/// and what (`"expected number, got string \"abc\""`).
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// Dotted path into the checked value; array elements are indexes.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `"items.2.total: expected number, got string \"abc\""`, or just the message at the root.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// A schema that cannot be compiled: where in the schema (dotted, `""` for the root) and why.
public struct JSONSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted path into the schema document, e.g. `"properties.amount.type"`.
    public var location: String
    public var message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String {
        "invalid JSON Schema at \(location.isEmpty ? "the root" : "'\(location)'"): \(message)"
    }
}
