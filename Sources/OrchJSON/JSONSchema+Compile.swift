import Foundation

/// Turns a schema document into `SchemaNode`s, failing on the first malformed keyword and
/// collecting the locations of keywords it does not enforce.
struct SchemaCompiler {
    private(set) var unsupported: [String] = []

    /// Keywords that only describe; they never make a value invalid.
    private static let annotations: Set<String> = [
        "description", "title", "default", "examples", "format", "$schema", "$id", "$comment",
        "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding",
        "$defs", "definitions",
    ]

    mutating func compile(_ schema: JSONValue, at location: [String]) throws(JSONSchemaError) -> SchemaNode {
        var node = SchemaNode()
        let members: [String: JSONValue]
        switch schema {
        case .bool(let accepts):
            node.rejectsAll = !accepts
            return node
        case .object(let object):
            members = object
        default:
            throw error(location, "a schema must be an object or a boolean, got \(schema.summary)")
        }
        for (keyword, value) in members.sorted(by: { $0.key < $1.key }) {
            try apply(keyword, value, to: &node, at: location + [keyword])
        }
        try applyDraft4ExclusiveBounds(members, to: &node, at: location)
        return node
    }

    private mutating func apply(
        _ keyword: String, _ value: JSONValue, to node: inout SchemaNode, at location: [String]
    ) throws(JSONSchemaError) {
        switch keyword {
        case "type":
            node.types = try types(value, at: location)
        case "properties":
            guard case .object(let schemas) = value else { throw error(location, "expected an object of schemas, got \(value.summary)") }
            // Sorted, so the first error and `unsupported` do not vary with hash seeding.
            for (name, schema) in schemas.sorted(by: { $0.key < $1.key }) {
                node.properties[name] = SchemaNode.Box(try compile(schema, at: location + [name]))
            }
        case "required":
            guard case .array(let names) = value, names.allSatisfy({ $0.stringValue != nil }) else {
                throw error(location, "expected an array of property names, got \(value.summary)")
            }
            node.required = names.compactMap(\.stringValue)
        case "additionalProperties":
            if case .bool(let allowed) = value {
                node.additional = allowed ? .allowed : .forbidden
            } else {
                node.additional = .schema(SchemaNode.Box(try compile(value, at: location)))
            }
        case "items":
            if case .array = value {
                unsupported.append(dotted(location) + " (tuple form)")
            } else {
                node.items = SchemaNode.Box(try compile(value, at: location))
            }
        case "enum":
            guard case .array(let values) = value, !values.isEmpty else {
                throw error(location, "expected a non-empty array of allowed values, got \(value.summary)")
            }
            node.allowedValues = values
        case "const":
            node.constant = [value]
        case "minimum":
            node.lowerBounds.append(.init(limit: try number(value, at: location), exclusive: false))
        case "maximum":
            node.upperBounds.append(.init(limit: try number(value, at: location), exclusive: false))
        case "exclusiveMinimum", "exclusiveMaximum":
            // The draft-4 boolean form modifies minimum/maximum; handled once all keywords are read.
            if case .bool = value { return }
            let bound = SchemaNode.Bound(limit: try number(value, at: location), exclusive: true)
            if keyword == "exclusiveMinimum" { node.lowerBounds.append(bound) } else { node.upperBounds.append(bound) }
        case "minLength": node.minLength = try count(value, at: location)
        case "maxLength": node.maxLength = try count(value, at: location)
        case "minItems": node.minItems = try count(value, at: location)
        case "maxItems": node.maxItems = try count(value, at: location)
        case "pattern":
            guard case .string(let source) = value else { throw error(location, "expected a regular expression string, got \(value.summary)") }
            do {
                node.pattern = .init(source: source, regex: try NSRegularExpression(pattern: ECMAPattern.icu(source)))
            } catch {
                throw self.error(location, "'\(source)' is not a valid regular expression")
            }
        case "allOf": node.allOf = try alternatives(value, at: location)
        case "anyOf": node.anyOf = try alternatives(value, at: location)
        case "oneOf": node.oneOf = try alternatives(value, at: location)
        default:
            if !Self.annotations.contains(keyword) { unsupported.append(dotted(location)) }
        }
    }

    /// Draft 4 wrote `"minimum": 0, "exclusiveMinimum": true`; later drafts use a number.
    private func applyDraft4ExclusiveBounds(
        _ members: [String: JSONValue], to node: inout SchemaNode, at location: [String]
    ) throws(JSONSchemaError) {
        for (flag, base) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            guard case .bool(let exclusive) = members[flag] else { continue }
            guard let limit = members[base]?.doubleValue else {
                throw error(location + [flag], "the boolean form needs '\(base)' beside it")
            }
            guard exclusive else { continue }
            if base == "minimum" {
                node.lowerBounds = node.lowerBounds.map { $0.limit == limit ? .init(limit: limit, exclusive: true) : $0 }
            } else {
                node.upperBounds = node.upperBounds.map { $0.limit == limit ? .init(limit: limit, exclusive: true) : $0 }
            }
        }
    }

    private func types(_ value: JSONValue, at location: [String]) throws(JSONSchemaError) -> [SchemaType] {
        let names: [JSONValue]
        switch value {
        case .string: names = [value]
        case .array(let list) where !list.isEmpty: names = list
        default: throw error(location, "expected a type name or a non-empty array of them, got \(value.summary)")
        }
        var types: [SchemaType] = []
        for name in names {
            guard let text = name.stringValue, let type = SchemaType(rawValue: text) else {
                let known = SchemaType.allCases.map(\.rawValue).joined(separator: ", ")
                throw error(location, "\(name.summary) is not a JSON Schema type; use one of \(known)")
            }
            types.append(type)
        }
        return types
    }

    private func number(_ value: JSONValue, at location: [String]) throws(JSONSchemaError) -> Double {
        guard let n = value.doubleValue else { throw error(location, "expected a number, got \(value.summary)") }
        return n
    }

    private func count(_ value: JSONValue, at location: [String]) throws(JSONSchemaError) -> Int {
        guard let n = value.intValue, n >= 0 else { throw error(location, "expected a non-negative integer, got \(value.summary)") }
        return n
    }

    private mutating func alternatives(_ value: JSONValue, at location: [String]) throws(JSONSchemaError) -> [SchemaNode] {
        guard case .array(let schemas) = value, !schemas.isEmpty else {
            throw error(location, "expected a non-empty array of schemas, got \(value.summary)")
        }
        var nodes: [SchemaNode] = []
        for (i, schema) in schemas.enumerated() {
            nodes.append(try compile(schema, at: location + [String(i)]))
        }
        return nodes
    }

    private func error(_ location: [String], _ message: String) -> JSONSchemaError {
        JSONSchemaError(location: dotted(location), message: message)
    }

    private func dotted(_ location: [String]) -> String { location.joined(separator: ".") }
}
