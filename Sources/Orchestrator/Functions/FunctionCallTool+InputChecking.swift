import OrchJSON

extension FunctionCallTool: InputChecking {
    /// Unknown functions and arguments that break the function's schema, found before the run.
    public func inputProblems(_ input: JSONValue) -> [InputProblem] {
        // A missing name: say which names exist (a planner model's repair round reads this).
        // A name that is not a string is the input schema's to report.
        guard let nameValue = input["name"] else {
            return [InputProblem(path: JSONPath("name"), message: "missing (required): name the function to call, one of "
                                 + registry.names.joined(separator: ", ") + ", or drop the step if none fits")]
        }
        // A reference is known only at run time.
        guard let name = nameValue.stringValue, !nameValue.isStepReference else { return [] }
        return registry.argumentProblems(function: name, arguments: input["args"] ?? [:], isPlaceholder: \.isStepReference)
            .map { InputProblem(path: JSONPath(input["args"] == nil ? "name" : "args"), message: $0) }
    }
}
