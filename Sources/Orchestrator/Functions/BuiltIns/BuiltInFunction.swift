import OrchJSON

/// One of the seed's functions. Built-ins read their already-checked JSON arguments
/// directly rather than through `Codable`, which keeps a 20-item statistics call in the
/// microseconds; users' functions use the typed `register` instead.
protocol BuiltInFunction: Sendable {
    static var name: String { get }
    static var description: String { get }
    static var schema: JSONValue { get }
    /// Reads arguments that passed `schema`.
    init(arguments: JSONValue) throws
    func callAsFunction() throws -> JSONValue
}

/// A built-in whose only argument is `items` (a list, or a step output holding one).
protocol ItemsFunction: BuiltInFunction {
    init(items: ItemList)
}

extension ItemsFunction {
    static var schema: JSONValue { ItemList.itemsArgumentSchema }

    init(arguments: JSONValue) throws {
        self.init(items: try ItemList(arguments))
    }
}

extension JSONValue {
    /// A number argument that the schema guarantees; a missing or non-number one is
    /// reported rather than trusted.
    func number(_ argument: String, default fallback: Double? = nil) throws -> Double {
        if let n = self[argument]?.doubleValue { return n }
        if self[argument] == nil, let fallback { return fallback }
        throw FunctionError.badArgument(argument, "expected number, got \(self[argument]?.summary ?? "nothing")")
    }

    func string(_ argument: String) throws -> String {
        guard let s = self[argument]?.stringValue else {
            throw FunctionError.badArgument(argument, "expected string, got \(self[argument]?.summary ?? "nothing")")
        }
        return s
    }
}
