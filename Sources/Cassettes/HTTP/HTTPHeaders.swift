/// HTTP header fields with case-insensitive names. Names are kept lowercased (as HTTP/2 sends
/// them), so equal header sets compare equal whatever case the caller used; a repeated field
/// is joined with ", " as RFC 9110 allows.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fields, keyed by lowercased name.
    public private(set) var fields: [String: String]

    public init(_ fields: [String: String] = [:]) {
        self.fields = [:]
        for (name, value) in fields { add(name, value) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = [:]
        for (name, value) in elements { add(name, value) }
    }

    /// The value of `name` (any case); setting `nil` removes the field.
    public subscript(name: String) -> String? {
        get { fields[name.lowercased()] }
        set { fields[name.lowercased()] = newValue }
    }

    /// Adds a value, joining it to an existing field of the same name.
    public mutating func add(_ name: String, _ value: String) {
        let key = name.lowercased()
        if let existing = fields[key] { fields[key] = existing + ", " + value } else { fields[key] = value }
    }

    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> Dictionary<String, String>.Iterator { fields.makeIterator() }
}
