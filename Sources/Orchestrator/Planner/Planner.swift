import OrchJSON
import Providers

/// Turns a request into a validated plan with a (large) model: catalog → prompt → the model,
/// asked for JSON under `PlanSchema` → mechanical repairs (`PlanRepair`) → `PlanValidator`.
/// When the plan has problems, a repair round sends the validator's messages back and asks
/// again (one round by default). docs/planner.md describes it.
///
/// ```swift
/// let model = try makeChatModel(provider: "openai", model: "gpt-4o", environment: env, transport: transport)
/// let planner = Planner(catalog: catalog, model: MeteredModel(model, prices: prices))
/// let result = await planner.plan("Process the receipt at r.png and compute tax at 8%")
/// if let plan = result.plan { let run = await PlanEngine().run(plan) }
/// ```
public struct Planner: Sendable {
    public var catalog: ToolCatalog
    public var model: MeteredModel
    /// Rounds after the first that send the validator's problems back.
    public var repairRounds: Int
    /// The most tokens one answer may take: a plan of ten steps is about 500; the cap stops a
    /// small model that keeps writing whitespace inside its JSON grammar.
    public var maxOutputTokens: Int

    public init(catalog: ToolCatalog, model: MeteredModel, repairRounds: Int = 1, maxOutputTokens: Int = 700) {
        self.catalog = catalog
        self.model = model
        self.repairRounds = repairRounds
        self.maxOutputTokens = maxOutputTokens
    }

    public func plan(_ request: String, requestID: String = "req-planned") async -> PlannerResult {
        let prompt = PlannerPrompt(catalog: catalog, request: request)
        let format = ResponseFormat(name: "plan", schema: PlanSchema.json(for: catalog))
        let repair = PlanRepair(catalog: catalog, requestID: requestID)
        var result = PlannerResult()
        var messages: [ChatMessage] = [.user(request)]
        for round in 1...(1 + max(0, repairRounds)) {
            result.rounds = round
            let exchange = await model.complete(
                ChatRequest(system: prompt.system, messages: messages, responseFormat: format, temperature: 0, maxOutputTokens: maxOutputTokens),
                role: .planner)
            result.calls.append(exchange.call)
            let response: ChatResponse
            switch exchange.result {
            case .success(let answer): response = answer
            case .failure(let error):
                result.failure = error
                result.problems = [PlanProblem(field: "", message: "the planner model gave no answer: \(error)")]
                return result
            }
            guard let answer = response.json else {
                result.problems = [PlanProblem(field: "", message: "the answer is not JSON: \(ProviderError.clip(response.text, limit: 200))")]
                messages += [.assistant(response.text), .user(PlannerPrompt.repairMessage(result.problems))]
                continue
            }
            let (repaired, notes) = repair.repair(answer)
            result.planJSON = repaired
            result.notes = notes
            do {
                let validated = try PlanValidator(catalog: catalog).validate(json: repaired)
                result.plan = validated
                result.problems = []
                result.notes += validated.notes.map(\.description)
                return result
            } catch {
                result.problems = error.problems
            }
            // The repaired form goes back, so the model corrects what the validator saw.
            messages += [.assistant(repaired.serialized()), .user(PlannerPrompt.repairMessage(result.problems))]
        }
        return result
    }
}

/// What the planner produced: the plan when it validated, every call it made, and otherwise
/// the problems of its last answer.
public struct PlannerResult: Sendable {
    /// The validated plan; nil when no round gave a valid one.
    public var plan: ValidatedPlan?
    /// The last answer after mechanical repairs (valid or not); nil when none was JSON.
    public var planJSON: JSONValue?
    /// Model calls made: 1, or 2 with a repair round.
    public var rounds = 0
    public var calls: [ModelCall] = []
    /// The last answer's problems; empty when `plan` is set.
    public var problems: [PlanProblem] = []
    /// Mechanical repairs applied to the last answer, then the validator's notes.
    public var notes: [String] = []
    /// The provider's error when the model gave no answer (timeout, refusal, …).
    public var failure: ProviderError?

    /// `{"plan", "rounds", "calls", "problems", "notes"}`, the form `orch-eval plan --json` prints.
    public var json: JSONValue {
        [
            "plan": planJSON ?? .null, "rounds": .number(Double(rounds)), "calls": .array(calls.map(\.json)),
            "problems": .array(problems.map { .string($0.description) }), "notes": .array(notes.map(JSONValue.string)),
        ]
    }
}
