import OrchJSON

extension FunctionCallTool: InputChecking {
    /// Unknown functions and arguments that break the function's schema, found before the run.
    public func inputProblems(_ input: JSONValue) -> [InputProblem] {
        guard let name = input["name"]?.stringValue else { return [] }  // the input schema reports it
        return registry.argumentProblems(function: name, arguments: input["args"] ?? [:], isPlaceholder: \.isStepReference)
            .map { InputProblem(path: JSONPath(input["args"] == nil ? "name" : "args"), message: $0) }
    }
}
