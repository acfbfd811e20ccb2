import OrchJSON

/// The functions a `function_call` step can call, each with a JSON Schema for its arguments.
///
/// A value type: build one, register functions, hand it to `FunctionCallTool`. Start from
/// `FunctionRegistry.builtIns` to keep the seed's five functions.
///
/// ```swift
/// var registry = FunctionRegistry.builtIns
/// try registry.register("greet", description: "Says hello", arguments: Greeting.self) { args in
///     ["text": .string("Hello, \(args.name)!")] as JSONValue
/// }
/// let result = try await registry.call("greet", arguments: ["name": "Ada"])
/// ```
public struct FunctionRegistry: Sendable {
    /// A function body: receives arguments that already passed the schema.
    public typealias Body = @Sendable (JSONValue) async throws -> JSONValue

    struct Entry: Sendable {
        var descriptor: FunctionDescriptor
        var schema: JSONSchema
        var body: Body
    }

    private var entries: [String: Entry] = [:]

    /// An empty registry.
    public init() {}

    /// Registered names, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// Every function's descriptor, sorted by name.
    public var descriptors: [FunctionDescriptor] { names.compactMap { entries[$0]?.descriptor } }

    public func descriptor(for name: String) -> FunctionDescriptor? { entries[name]?.descriptor }

    /// Registers a function that takes and returns JSON.
    ///
    /// - Throws: `FunctionRegistrationError` when `name` is not 1–64 letters, digits, `_` or
    ///   `-` (the rule model providers apply to tool names), is already registered (call
    ///   `remove` first to replace a function), or `schema` is malformed.
    public mutating func register(
        name: String, description: String, schema: JSONValue, body: @escaping Body
    ) throws(FunctionRegistrationError) {
        let valid = (1...64).contains(name.count)
            && name.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "_" || $0 == "-" }
        guard valid else {
            throw FunctionRegistrationError(function: name, message: "a name is 1 to 64 ASCII letters, digits, '_' or '-'")
        }
        guard entries[name] == nil else {
            throw FunctionRegistrationError(function: name, message: "a function of that name is already registered; remove it first to replace it")
        }
        let compiled: JSONSchema
        do {
            compiled = try JSONSchema(schema)
        } catch {
            throw FunctionRegistrationError(function: name, message: error.description)
        }
        entries[name] = Entry(
            descriptor: FunctionDescriptor(name: name, description: description, schema: schema),
            schema: compiled, body: body)
    }

    /// Removes a function (e.g. to replace a built-in); returns its descriptor if it was registered.
    @discardableResult
    public mutating func remove(_ name: String) -> FunctionDescriptor? {
        entries.removeValue(forKey: name)?.descriptor
    }

    /// Problems with calling `name` with `arguments`, one sentence each, for plan validation
    /// before a run: `compute_tax: argument 'amount': expected number, got string "abc"`.
    /// Empty when the call would pass the schema.
    ///
    /// - Parameter isPlaceholder: values that are only known at run time (step references);
    ///   a problem at such a value is left out.
    public func argumentProblems(
        function name: String, arguments: JSONValue, isPlaceholder: (JSONValue) -> Bool = { _ in false }
    ) -> [String] {
        guard let entry = entries[name] else { return [unknownFunction(name).description] }
        return entry.schema.violations(of: arguments)
            .filter { violation in
                guard let value = try? arguments.value(at: JSONPath(violation.path)) else { return true }
                return !isPlaceholder(value)
            }
            .map { "\(name): \(FunctionError.label($0.path)): \($0.message)" }
    }

    /// Checks `arguments` against the function's schema, then calls it.
    ///
    /// - Throws: `FunctionError` (unknown function, bad arguments, the function's own
    ///   failure), or `CancellationError` when the task is cancelled.
    public func call(_ name: String, arguments: JSONValue) async throws -> JSONValue {
        guard let entry = entries[name] else { throw unknownFunction(name) }
        let violations = entry.schema.violations(of: arguments)
        if let first = violations.first {
            throw violations.count == 1
                ? FunctionError(kind: .badArguments, function: name, argument: first.path, message: first.message)
                : FunctionError(kind: .badArguments, function: name, message: violations
                    .map { "\(FunctionError.label($0.path)): \($0.message)" }.joined(separator: "; "))
        }
        do {
            let result = try await entry.body(arguments)
            // JSON has no NaN or infinity; an overflowing sum must not pass as `null` downstream.
            if let (path, number) = result.firstNonFiniteNumber() {
                let name = number.isNaN ? "NaN" : number < 0 ? "-infinity" : "infinity"
                let place = path.isEmpty ? "the result is \(name)" : "the result holds \(name) at '\(path.joined(separator: "."))'"
                throw FunctionError(kind: .failed, function: name, message: place + "; JSON has no NaN or infinity")
            }
            return result
        } catch var error as FunctionError {
            error.function = name
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw FunctionError(kind: .failed, function: name, message: String(describing: error))
        }
    }

    private func unknownFunction(_ name: String) -> FunctionError {
        var message = names.isEmpty ? "no functions are registered" : "registered functions: " + names.joined(separator: ", ")
        if let suggestion = closestName(to: name, among: names) { message = "did you mean '\(suggestion)'? " + message }
        return FunctionError(kind: .unknownFunction, function: name, message: message)
    }
}
