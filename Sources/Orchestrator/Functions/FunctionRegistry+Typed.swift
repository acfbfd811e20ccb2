import Foundation
import OrchJSON

extension FunctionRegistry {
    /// Registers a Swift function whose arguments decode into `Arguments` and whose result
    /// encodes to JSON.
    ///
    /// ```swift
    /// try registry.register("greet", description: "Says hello", arguments: Greeting.self) { args in
    ///     GreetingResult(text: "Hello, \(args.name)!")
    /// }
    /// ```
    public mutating func register<Arguments: FunctionArguments, Result: Encodable & Sendable>(
        _ name: String, description: String, arguments: Arguments.Type,
        _ body: @escaping @Sendable (Arguments) async throws -> Result
    ) throws(FunctionRegistrationError) {
        try register(name: name, description: description, schema: Arguments.schema) { json in
            try Self.encode(try await body(try Self.decode(Arguments.self, from: json)))
        }
    }

    /// Registers a Swift function with typed arguments that builds its JSON result itself.
    public mutating func register<Arguments: FunctionArguments>(
        _ name: String, description: String, arguments: Arguments.Type,
        _ body: @escaping @Sendable (Arguments) async throws -> JSONValue
    ) throws(FunctionRegistrationError) {
        try register(name: name, description: description, schema: Arguments.schema) { json in
            try await body(try Self.decode(Arguments.self, from: json))
        }
    }

    /// Decodes arguments that passed the schema. When the schema is looser than the Swift
    /// type (`"integer"` for a `UInt8` given 300), decoding fails here; the message names the
    /// argument when the decoder says which (Linux Foundation does not for number overflow).
    static func decode<Arguments: Decodable>(_ type: Arguments.Type, from json: JSONValue) throws -> Arguments {
        do {
            return try JSONDecoder().decode(type, from: json.serializedData())
        } catch let error as DecodingError {
            let path = error.argumentPath
            let message = "passes the schema but does not decode as \(Arguments.self) (\(error.reason)); the function's schema and its Swift type disagree"
            throw path.isEmpty
                ? FunctionError(kind: .badArguments, function: "", message: "arguments: " + message)
                : FunctionError.badArgument(path, message)
        }
    }

    static func encode<Result: Encodable & Sendable>(_ result: Result) throws -> JSONValue {
        do {
            return try JSONValue(parsing: JSONEncoder().encode(result))
        } catch {
            throw FunctionError.failed("the function returned a value that is not JSON: \(error)")
        }
    }
}

extension DecodingError {
    /// Where the decoder stopped, as a dotted argument path.
    var argumentPath: String {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
        @unknown default:
            path = []
        }
        return path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    var reason: String {
        switch self {
        case .keyNotFound: "missing (required)"
        case .typeMismatch(let type, _): "expected a value of Swift type \(type)"
        case .valueNotFound(let type, _): "expected a value of Swift type \(type), got null"
        case .dataCorrupted(let context): context.debugDescription
        @unknown default: "cannot be decoded"
        }
    }
}
