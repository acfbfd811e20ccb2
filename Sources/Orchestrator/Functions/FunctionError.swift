import OrchJSON

/// Why a function call did not produce a result. `description` names the function and the
/// argument: `compute_tax: argument 'amount': Amount cannot be negative`.
///
/// Function bodies throw `FunctionError.badArgument(_:_:)` or `.failed(_:)`; the registry
/// fills in the function's name. Any other error a body throws becomes `.failed` with the
/// error's text.
public struct FunctionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as the `ToolError.code` a `function_call` step reports.
    public enum Kind: String, Sendable, Equatable {
        /// No function of that name is registered.
        case unknownFunction = "unknown_function"
        /// The arguments break the function's schema, or the function rejected a value.
        case badArguments = "bad_arguments"
        /// The function ran and failed, or returned something that is not JSON.
        case failed = "function_failed"
    }

    public var kind: Kind
    /// The function's name; empty only while a body's error is on its way to the registry.
    public var function: String
    /// The offending argument as a dotted path (`"items.2.total"`; `""` for the arguments
    /// object itself); `nil` when the error is not about one argument.
    public var argument: String?
    public var message: String

    public init(kind: Kind, function: String, argument: String? = nil, message: String) {
        self.kind = kind
        self.function = function
        self.argument = argument
        self.message = message
    }

    /// An argument value the function cannot work with (`.badArgument("amount", "Amount cannot be negative")`).
    public static func badArgument(_ argument: String, _ message: String) -> FunctionError {
        FunctionError(kind: .badArguments, function: "", argument: argument, message: message)
    }

    /// A failure that is not about one argument.
    public static func failed(_ message: String) -> FunctionError {
        FunctionError(kind: .failed, function: "", message: message)
    }

    public var description: String {
        if kind == .unknownFunction { return "unknown function '\(function)'; \(message)" }
        let prefix = function.isEmpty ? "" : "\(function): "
        guard let argument else { return prefix + message }
        return prefix + Self.label(argument) + ": " + message
    }

    /// `argument 'amount'`, or `arguments` for the whole arguments object.
    static func label(_ argument: String) -> String {
        argument.isEmpty ? "arguments" : "argument '\(argument)'"
    }
}

/// A function that cannot be registered: a bad name, a name already taken, a malformed schema.
public struct FunctionRegistrationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var function: String
    public var message: String

    public var description: String { "cannot register function '\(function)': \(message)" }
}
