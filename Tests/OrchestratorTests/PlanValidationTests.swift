import Testing
@testable import Orchestrator
import OrchJSON

@Suite("Plan decoding and validation")
struct PlanValidationTests {
    @Test("every field problem is reported at once, each naming its step")
    func fieldProblems() {
        let found = problems("""
            {"request_id": "r", "steps": [
              {"id": "a", "tool": 7, "input": {}},
              {"tool": "echo", "input": {}},
              {"id": "c", "tool": "echo", "input": [], "mode": "fast", "timeout_s": -1,
               "retry_policy": {"retries": 0, "backoff_s": "soon"}, "run_if": "maybe", "depends_on": "a"}
            ]}
            """)
        #expect(found == [
            "step 'a': tool: expected a non-empty string, got integer",
            "steps[1].id: steps[1] has no 'id'",
            "step 'c': input: expected an object, got array",
            "step 'c': depends_on: expected a list of step ids, got string",
            "step 'c': mode: expected \"parallel\" or \"sequential\", got \"fast\"",
            "step 'c': retry_policy.retries: expected a whole number ≥ 1 (the total number of attempts), got 0",
            "step 'c': retry_policy.backoff_s: expected a number of seconds ≥ 0, got \"soon\"",
            "step 'c': run_if: expected a step reference such as 'step:check.ok' or 'step:total.amount > 10', got 'maybe'",
            "step 'c': timeout_s: expected a number of seconds > 0, got -1",
        ])
    }

    @Test("times too long to hold are reported, not turned into a crash; a billion seconds is fine")
    func hugeTimes() {
        let found = problems("""
            {"request_id": "r", "steps": [
              {"id": "a", "tool": "echo", "input": {}, "timeout_s": 1e30,
               "retry_policy": {"retries": 3, "backoff_s": 1e30, "max_backoff_s": 1e300}},
              {"id": "b", "tool": "echo", "input": {}, "timeout_s": 1e9, "retry_policy": {"backoff_s": 1e9, "max_backoff_s": 0}}
            ]}
            """)
        #expect(found == [
            "step 'a': retry_policy.backoff_s: expected at most 1000000000 seconds (about 31 years), got 1e+30",
            "step 'a': retry_policy.max_backoff_s: expected at most 1000000000 seconds (about 31 years), got 1e+300",
            "step 'a': timeout_s: expected at most 1000000000 seconds (about 31 years), got 1e+30",
        ])
    }

    @Test("an id with a space is refused, since no reference could name it; dots and other letters are fine")
    func idsWithSpaces() async throws {
        #expect(problems("""
            {"request_id": "r", "steps": [
              {"id": "fetch data", "tool": "echo", "input": {}},
              {"id": "use", "tool": "echo", "input": {"x": "step:fetch data.text"}}
            ]}
            """) == ["step 'fetch data': id: ids cannot contain spaces: a reference 'step:ID' ends at the first space; use '-' or '_' instead"])
        let result = try await runPlan("""
            {"request_id": "r", "steps": [
              {"id": "données.v2", "tool": "echo", "input": {"n": [[1, [2]]]}},
              {"id": "use", "tool": "echo", "input": {"x": [["step:données.v2.n.0.1.0"]]}}
            ]}
            """, tools: [EchoTool()])
        #expect(result["use"]?.output == ["x": [[2]]])
    }

    @Test("field problems and graph problems are reported together")
    func mixedProblems() {
        let found = problems("""
            {"request_id": "r", "steps": [
              {"id": "a", "tool": "echo", "input": {}, "timeout_s": "never"},
              {"id": "b", "tool": "nope", "input": {"x": "step:zz"}}
            ]}
            """)
        #expect(found == [
            "step 'a': timeout_s: expected a number of seconds > 0, got \"never\"",
            "step 'b': input.x: 'step:zz' refers to no step of this plan",
            "step 'b': tool: unknown tool 'nope'; available: echo",
        ])
    }

    @Test("an empty plan, a missing request id and a plan that is not an object")
    func planLevelProblems() {
        #expect(problems(#"{"steps": []}"#) == ["request_id: missing (a string naming the request)", "steps: the plan has no steps; add at least one"])
        #expect(problems("[1, 2]") == ["a plan is a JSON object with 'request_id' and 'steps', got array"])
    }

    @Test("graph problems: duplicate ids, unknown tools, dangling and self dependencies, unknown references")
    func graphProblems() {
        let found = problems("""
            {"request_id": "r", "steps": [
              {"id": "a", "tool": "echo", "input": {}},
              {"id": "a", "tool": "ecko", "input": {}},
              {"id": "b", "tool": "echo", "input": {"x": {"deep": ["step:nope.field"]}}, "depends_on": ["b", "a", "z"]},
              {"id": "c", "tool": "echo", "input": {"me": "step:c"}}
            ]}
            """)
        #expect(found == [
            "step 'a': id: the id 'a' is used by more than one step; ids must be unique",
            "step 'a': tool: unknown tool 'ecko' (did you mean 'echo'?); available: echo",
            "step 'b': depends_on: the step depends on itself",
            "step 'b': depends_on: depends on 'z', which is not a step of this plan",
            "step 'b': input.x.deep.0: 'step:nope.field' refers to no step of this plan",
            "step 'c': input.me: 'step:c' refers to the step's own output",
        ])
    }

    @Test("unknown fields are ignored with a note, so a misspelt run_if does not pass unnoticed")
    func unknownFields() throws {
        let plan = try validate("""
            {"request_id": "r", "final_synthesys": null, "steps": [
              {"id": "a", "tool": "echo", "input": {}},
              {"id": "b", "tool": "echo", "input": {}, "run_iff": "step:a.ok", "retry_policy": {"retries": 2, "backof_s": 1}, "why": "x"}
            ]}
            """, tools: [EchoTool()])
        #expect(plan.notes.map(\.description) == [
            "final_synthesys: unknown field 'final_synthesys' (did you mean 'final_synthesis'?); ignored",
            "step 'b': run_iff: unknown field 'run_iff' (did you mean 'run_if'?); ignored",
            "step 'b': why: unknown field 'why'; ignored",
            "step 'b': retry_policy.backof_s: unknown field 'backof_s' (did you mean 'backoff_s'?); ignored",
        ])
    }

    @Test("a cycle is reported with the steps on it, not the steps that merely wait for it")
    func cycles() {
        let found = problems("""
            {"request_id": "r", "steps": [
              {"id": "start", "tool": "echo", "input": {}},
              {"id": "x", "tool": "echo", "input": {}, "depends_on": ["z", "start"]},
              {"id": "y", "tool": "echo", "input": {}, "depends_on": ["x"]},
              {"id": "z", "tool": "echo", "input": {"v": "step:y"}},
              {"id": "after", "tool": "echo", "input": {}, "depends_on": ["z"]},
              {"id": "loner", "tool": "echo", "input": {}, "depends_on": ["loner2"]},
              {"id": "loner2", "tool": "echo", "input": {}, "depends_on": ["loner"]}
            ]}
            """)
        #expect(found == [
            "step 'x': depends_on: dependency cycle: x → z → y → x (each step waits for the next)",
            "step 'loner': depends_on: dependency cycle: loner → loner2 → loner (each step waits for the next)",
        ])
    }

    @Test("a reference implies a dependency; the validator adds it and says so")
    func impliedDependency() throws {
        let plan = try validate("""
            {"request_id": "r", "steps": [
              {"id": "a", "tool": "echo", "input": {"n": 1}},
              {"id": "b", "tool": "echo", "input": {"from_a": "step:a.n"}}
            ]}
            """, tools: [EchoTool()])
        #expect(plan.dependencies == [[], [0]])
        #expect(plan.notes.map(\.description) == ["step 'b': input.from_a: refers to step 'a', which depends_on does not list; added as a dependency"])
    }

    @Test("references parse against step ids, the longest id winning when ids contain dots")
    func referenceParsing() {
        let ids: Set = ["a", "a.b", "step-1"]
        #expect(StepReference.parse("step:a.b.c", stepIDs: ids) == StepReference(stepID: "a.b", path: JSONPath("c")))
        #expect(StepReference.parse("step:a.x.0", stepIDs: ids) == StepReference(stepID: "a", path: JSONPath("x.0")))
        #expect(StepReference.parse("step:step-1", stepIDs: ids) == StepReference(stepID: "step-1"))
        #expect(StepReference.parse("step:zzz", stepIDs: ids) == nil)
        #expect(!StepReference.looksLikeReference("step: then add salt"))
    }

    @Test("run_if conditions parse and decide")
    func conditions() throws {
        let above = try RunCondition.parse("step:total.amount >= 10").get()
        #expect(above.referenceText == "step:total.amount")
        #expect(try above.holds(for: 12).get())
        #expect(try !above.holds(for: 9.5).get())
        #expect(throws: ConditionSyntaxError.self) { try above.holds(for: "ten").get() }
        let category = try RunCondition.parse("step:c.category == food").get()
        #expect(try category.holds(for: "food").get())
        let negated = try RunCondition.parse("not step:c.items").get()
        #expect(try negated.holds(for: []).get())
        #expect(try !negated.holds(for: [1]).get())
        #expect(throws: ConditionSyntaxError.self) { try RunCondition.parse("step:c.x ~ 3").get() }
    }

    @Test("run_if compares with a literal; a reference on the right is refused, not compared as text")
    func conditionAgainstAnotherStep() {
        #expect(problems("""
            {"request_id": "r", "steps": [
              {"id": "total", "tool": "echo", "input": {"n": 3}},
              {"id": "limit", "tool": "echo", "input": {"n": 2}},
              {"id": "alert", "tool": "echo", "input": {}, "run_if": "step:total.n > step:limit.n"}
            ]}
            """) == ["step 'alert': run_if: the right side 'step:limit.n' is a reference; run_if compares a step's value with a literal such as 10 or \"food\""])
    }
}

@Suite("Validation against tool schemas")
struct ToolInputValidationTests {
    @Test("function calls are checked against the function's schema before the run; references wait for the run")
    func functionArguments() {
        let found = problems("""
            {"request_id": "r", "steps": [
              {"id": "n", "tool": "echo", "input": {"v": 3}},
              {"id": "ok", "tool": "function_call", "input": {"name": "compute_tax", "args": {"amount": "step:n.v", "tax_rate": 0.1}}},
              {"id": "typo", "tool": "function_call", "input": {"name": "compute_taxes", "args": {"amount": 1}}},
              {"id": "bad", "tool": "function_call", "input": {"name": "compute_tax", "args": {"amount": "lots"}}},
              {"id": "shape", "tool": "function_call", "input": {"args": {}, "extra": 1}}
            ]}
            """, tools: [EchoTool(), FunctionCallTool()])
        #expect(found.count == 4)
        #expect(found[0].hasPrefix("step 'typo': input.args: unknown function 'compute_taxes'; did you mean 'compute_tax'?"))
        #expect(found[1] == "step 'bad': input.args: compute_tax: argument 'amount': expected number, got string \"lots\"")
        #expect(found[2].hasPrefix("step 'shape': input"))
        #expect(found[2].contains("extra"))
        // A missing name lists the names to choose from, for a person or a planner's repair round.
        #expect(found[3].hasPrefix("step 'shape': input.name: missing (required): name the function to call, one of apply_discount, compute_item_statistics, compute_tax,"))
        #expect(found[3].hasSuffix(", or drop the step if none fits"))
    }

    @Test("a function name that is a reference is checked when the step runs, like any referenced value")
    func functionNameFromAReference() async throws {
        let result = try await runPlan("""
            {"request_id": "r", "steps": [
              {"id": "pick", "tool": "echo", "input": {"function": "compute_tax"}},
              {"id": "tax", "tool": "function_call", "input": {"name": "step:pick.function", "args": {"amount": 100, "tax_rate": 0.08}}}
            ]}
            """, tools: [EchoTool(), FunctionCallTool()])
        #expect(result["tax"]?.output == ["result": 8])
    }
}

@Suite("Plans built in code")
struct CodeBuiltPlanTests {
    @Test("get the same id checks as plans read from JSON")
    func idChecks() {
        let plan = Plan(requestID: "r", steps: [PlanStep(id: "fetch data", tool: "echo"), PlanStep(id: "", tool: "echo")])
        do {
            _ = try PlanValidator(catalog: ToolCatalog([EchoTool()])).validate(plan)
            Issue.record("the plan passed validation")
        } catch {
            #expect(error.problems.map(\.message) == [
                "ids cannot contain spaces: a reference 'step:ID' ends at the first space; use '-' or '_' instead",
                "ids cannot be empty",
            ])
        }
    }
}
