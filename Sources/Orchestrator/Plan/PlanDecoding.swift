import OrchJSON

extension Plan {
    /// Reads a plan from its JSON form, reporting every field that is missing or has the
    /// wrong type (not only the first). Checks that need the whole plan or the tool catalog
    /// (dependencies, references, tools) are `PlanValidator`'s; `PlanValidator.validate(json:)`
    /// reports both kinds together.
    public init(json: JSONValue) throws(PlanValidationError) {
        let (plan, problems, _) = Plan.decode(json)
        guard problems.isEmpty, let plan else { throw PlanValidationError(problems: problems) }
        self = plan
    }

    /// The plan made of every step that could be read (nil when not even that), the problems
    /// found, and notes on fields that were ignored (a misspelt `run_iff` would otherwise
    /// silently make a conditional step unconditional).
    static func decode(_ json: JSONValue) -> (Plan?, [PlanProblem], notes: [PlanProblem]) {
        var problems: [PlanProblem] = []
        guard let root = json.objectValue else {
            return (nil, [PlanProblem(field: "", message: "a plan is a JSON object with 'request_id' and 'steps', got \(json.typeName)")], [])
        }
        var notes = unknownFields(of: root, known: ["request_id", "steps", "final_synthesis"]).map { field in
            PlanProblem(field: field.name, message: field.note)
        }
        let requestID = root["request_id"]?.stringValue
        if requestID == nil {
            problems.append(PlanProblem(field: "request_id", message: root["request_id"] == nil ? "missing (a string naming the request)" : "expected a string, got \(root["request_id"]!.typeName)"))
        }
        var steps: [PlanStep] = []
        switch root["steps"] {
        case .array(let elements) where elements.isEmpty:
            problems.append(PlanProblem(field: "steps", message: "the plan has no steps; add at least one"))
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                var reader = StepReader(index: index, json: element)
                if let step = reader.read() { steps.append(step) }
                problems += reader.problems
                notes += reader.notes
            }
        case nil:
            problems.append(PlanProblem(field: "steps", message: "missing (a list of steps)"))
        case let other?:
            problems.append(PlanProblem(field: "steps", message: "expected a list of steps, got \(other.typeName)"))
        }
        var synthesis: FinalSynthesis?
        if let value = root["final_synthesis"], !value.isNull {
            if let object = value.objectValue, let template = object["prompt_template"]?.stringValue {
                synthesis = FinalSynthesis(promptTemplate: template, meta: object["meta"]?.objectValue ?? [:])
            } else {
                problems.append(PlanProblem(field: "final_synthesis.prompt_template", message: "expected an object with a string 'prompt_template'"))
            }
        }
        return (Plan(requestID: requestID ?? "", steps: steps, finalSynthesis: synthesis), problems, notes)
    }
}

/// Keys of `object` that are not in `known`, in sorted order, each with a note saying it is ignored.
func unknownFields(of object: [String: JSONValue], known: Set<String>) -> [(name: String, note: String)] {
    object.keys.filter { !known.contains($0) }.sorted().map { key in
        (key, "unknown field '\(key)'\(didYouMean(key, in: known)); ignored")
    }
}

/// Reads one step, collecting a problem per bad field.
private struct StepReader {
    let index: Int
    let json: JSONValue
    var problems: [PlanProblem] = []
    var notes: [PlanProblem] = []
    private var stepID: String?
    static let fields: Set = ["id", "tool", "input", "depends_on", "mode", "idempotency_key", "retry_policy", "run_if", "timeout_s"]

    init(index: Int, json: JSONValue) {
        self.index = index
        self.json = json
    }

    mutating func read() -> PlanStep? {
        guard let object = json.objectValue else {
            report("", "steps[\(index)] must be an object with 'id', 'tool' and 'input', got \(json.typeName)")
            return nil
        }
        let id = object["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        stepID = id
        if id == nil { report("id", object["id"] == nil ? "steps[\(index)] has no 'id'" : "steps[\(index)].id must be a non-empty string") }
        let tool = requiredString(object, "tool")
        let input = object["input"]
        if input == nil {
            report("input", "missing (an object with the tool's arguments; {} when it takes none)")
        } else if input?.objectValue == nil {
            report("input", "expected an object, got \(input!.typeName)")
        }
        let dependsOn = stringList(object["depends_on"], "depends_on")
        let mode = readMode(object["mode"])
        let idempotencyKey = optionalString(object, "idempotency_key")
        let retryPolicy = readRetryPolicy(object["retry_policy"])
        let runIf = readRunIf(object["run_if"])
        let timeout = readTimeout(object["timeout_s"])
        for field in unknownFields(of: object, known: Self.fields) {
            notes.append(PlanProblem(stepID: id, field: id == nil ? "steps[\(index)].\(field.name)" : field.name, message: field.note))
        }
        if let policy = object["retry_policy"]?.objectValue {
            for field in unknownFields(of: policy, known: ["retries", "backoff_s", "max_backoff_s"]) {
                notes.append(PlanProblem(stepID: id, field: "retry_policy.\(field.name)", message: field.note))
            }
        }
        guard let id, let tool, let input, input.objectValue != nil else { return nil }
        return PlanStep(id: id, tool: tool, input: input, dependsOn: dependsOn, mode: mode, idempotencyKey: idempotencyKey,
                        retryPolicy: retryPolicy, runIf: runIf, timeout: timeout)
    }

    private mutating func report(_ field: String, _ message: String) {
        let place = stepID == nil && !field.isEmpty ? "steps[\(index)].\(field)" : field
        problems.append(PlanProblem(stepID: stepID, field: place, message: message))
    }

    private mutating func requiredString(_ object: [String: JSONValue], _ key: String) -> String? {
        switch object[key] {
        case .string(let s) where !s.isEmpty: return s
        case nil: report(key, "missing")
        case let other?: report(key, "expected a non-empty string, got \(other.typeName)")
        }
        return nil
    }

    private mutating func optionalString(_ object: [String: JSONValue], _ key: String) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?:
            report(key, "expected a string, got \(other.typeName)")
            return nil
        }
    }

    private mutating func stringList(_ value: JSONValue?, _ key: String) -> [String] {
        switch value {
        case nil, .null?: return []
        case .array(let elements)?:
            let strings = elements.compactMap(\.stringValue)
            if strings.count != elements.count { report(key, "expected a list of step ids (strings)") }
            return strings
        case let other?:
            report(key, "expected a list of step ids, got \(other.typeName)")
            return []
        }
    }

    private mutating func readMode(_ value: JSONValue?) -> StepMode {
        guard let value, !value.isNull else { return .parallel }
        if let text = value.stringValue, let mode = StepMode(rawValue: text) { return mode }
        report("mode", "expected \"parallel\" or \"sequential\", got \(value)")
        return .parallel
    }

    private mutating func readRetryPolicy(_ value: JSONValue?) -> RetryPolicy {
        var policy = RetryPolicy()
        guard let value, !value.isNull else { return policy }
        guard let object = value.objectValue else {
            report("retry_policy", "expected an object like {\"retries\": 3, \"backoff_s\": 0.5}, got \(value.typeName)")
            return policy
        }
        if let retries = object["retries"], !retries.isNull {
            if let count = retries.intValue, count >= 1 { policy.attempts = count }
            else { report("retry_policy.retries", "expected a whole number ≥ 1 (the total number of attempts), got \(retries)") }
        }
        if let backoff = object["backoff_s"], !backoff.isNull, let duration = readSeconds(backoff, "retry_policy.backoff_s", allowZero: true) {
            policy.backoff = duration
        }
        if let cap = object["max_backoff_s"], !cap.isNull, let duration = readSeconds(cap, "retry_policy.max_backoff_s", allowZero: true) {
            policy.maxBackoff = duration
        }
        return policy
    }

    private mutating func readSeconds(_ value: JSONValue, _ field: String, allowZero: Bool) -> Duration? {
        let seconds = value.doubleValue ?? .nan
        if let problem = PlanSeconds.problem(seconds, allowZero: allowZero) {
            report(field, "\(problem), got \(value)")
            return nil
        }
        return .seconds(seconds)
    }

    private mutating func readRunIf(_ value: JSONValue?) -> RunCondition? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue else {
            report("run_if", "expected a condition string such as \"step:check.ok\", got \(value.typeName)")
            return nil
        }
        switch RunCondition.parse(text) {
        case .success(let condition): return condition
        case .failure(let error):
            report("run_if", error.message)
            return nil
        }
    }

    private mutating func readTimeout(_ value: JSONValue?) -> Duration? {
        guard let value, !value.isNull else { return nil }
        return readSeconds(value, "timeout_s", allowZero: false)
    }
}
