import OrchJSON

extension FunctionCallTool: InputChecking {
    /// Unknown functions and arguments that break the function's schema, found before the run.
    public func inputProblems(_ input: JSONValue) -> [InputProblem] {
        // A missing name is the input schema's to report; a reference is known only at run time.
        guard let name = input["name"]?.stringValue, input["name"]?.isStepReference == false else { return [] }
        return registry.argumentProblems(function: name, arguments: input["args"] ?? [:], isPlaceholder: \.isStepReference)
            .map { InputProblem(path: JSONPath(input["args"] == nil ? "name" : "args"), message: $0) }
    }
}
