import OrchJSON

/// The arguments of a typed function: decoded from the call's JSON arguments after they
/// pass `schema`.
///
/// ```swift
/// struct Greeting: FunctionArguments {
///     var name: String
///     static let schema: JSONValue = [
///         "type": "object", "required": ["name"], "additionalProperties": false,
///         "properties": ["name": ["type": "string", "description": "Who to greet"]],
///     ]
/// }
/// ```
public protocol FunctionArguments: Decodable, Sendable {
    /// The JSON Schema the arguments object must satisfy (the subset `JSONSchema` supports).
    static var schema: JSONValue { get }
}

/// What a plan author or a planner model needs to know to call a function.
public struct FunctionDescriptor: Sendable, Equatable {
    public var name: String
    public var description: String
    /// JSON Schema of the arguments object.
    public var schema: JSONValue

    public init(name: String, description: String, schema: JSONValue) {
        self.name = name
        self.description = description
        self.schema = schema
    }
}
