import OrchJSON

/// The JSON Schema of `report.json` (format_version 1), which `ReportFiles.read` checks before
/// decoding, so a hand-edited or foreign report is refused with the field named.
///
/// One source, in Swift: the schema is composed from values, so the parts a suite file shares
/// (a configuration, the price table) are `SuiteSchema`'s own, field lists come from the code
/// (`Report.metricNames`, the roles), and a shape used in several places (an estimate, an
/// assertion outcome) is written once, which a JSON file could not do without `$ref` (that
/// `JSONSchema` does not enforce). `docs/report.schema.json` is `text`, byte for byte; a test
/// checks it, and `ORCH_WRITE_SCHEMA=1 swift test --filter ReportSchemaTests` rewrites it.
///
/// Versions: a new optional field keeps format_version 1; removing, renaming or retyping a
/// field, or making one required, is version 2.
enum ReportSchema {
    /// `docs/report.schema.json`: the schema pretty-printed with sorted keys.
    static let text = document.serialized(.pretty) + "\n"

    /// Compiled once; a constant of this module that the tests compile and check.
    static let compiled = try! JSONSchema(document)

    static let document = adding(object(
        "orch-eval report", "An evaluation report: the source of truth that report.md, junit.xml and cost-quality.svg render (docs/suites.md, \"Reports\").",
        required: [
            "format_version": ["const": .number(Double(Report.formatVersion))],
            "suite": string,
            "wall_clock_ms": amount,
            "prices": adding(SuiteSchema.prices, ["description": "The price table the costs were computed with.", "required": ["models", "source"]]),
            "thresholds": adding(SuiteSchema.thresholds, ["description": "What compare counts as a regression by default.",
                                                          "required": ["max_cost_increase", "max_latency_increase", "max_quality_drop"]]),
            "configurations": ["type": "array", "items": configurationSummary],
            "headline": headline,
            "pairs": ["type": "array", "items": pair],
            "cases": ["type": "array", "items": caseReport],
        ],
        optional: ["shard": ["type": "string", "pattern": "^[0-9]+/[0-9]+$", "description": "I/N when the report covers one shard."]]),
        ["$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "urn:orch-eval:report:1"])

    static let configurationSummary = object(
        "Configuration summary", "One configuration's figures: run counts, metric estimates, mean cost per case run.",
        required: [
            "configuration": adding(SuiteSchema.configuration, ["description": "The configuration as the suite gave it."]),
            "runs": count, "succeeded": count, "failed": count, "errors": count,
            "metrics": object(nil, "Mean over cases with its interval; a metric is absent when no case ran.",
                              optional: Dictionary(uniqueKeysWithValues: Report.metricNames.map { ($0, estimate) })),
            "origin": mixedOrigin,
            "cost_by_role": byRole,
            "cost_by_model": namedMap(amount),
            "unpriced": strings,
        ],
        optional: ["unavailable": ["type": "string", "description": "Why the configuration did not run."]])

    static let headline = object(
        "Headline", "candidate against baseline: cost and latency ratios and the quality difference, or why there are none.",
        required: ["baseline": string, "candidate": string],
        optional: ["unavailable": string, "cost_ratio": estimate, "latency_ratio": estimate, "quality_difference": estimate, "origin": mixedOrigin])

    static let pair = object(
        "Paired comparison", "Per-case differences second − first over the cases both configurations ran.",
        required: ["first": string, "second": string, "origin": mixedOrigin,
                   "differences": object(nil, "By metric.", optional: Dictionary(uniqueKeysWithValues: Report.pairedMetricNames.map { ($0, estimate) }))])

    static let caseReport = object(
        "Case report", "One case run: the raw result, its cost under the report's prices, its limits' outcomes.",
        required: ["result": caseResult, "cost": cost, "limits": ["type": "array", "items": outcome(kinds: limitKinds)], "passed": boolean])

    static let caseResult = object(
        "Case result", "What running one case under one configuration produced, as raw facts (also a line of the results file).",
        required: [
            "configuration": string, "case": string,
            "trial": ["type": "integer", "minimum": 1],
            "status": ["enum": ["succeeded", "failed", "error"]],
            "failed_steps": strings, "tags": strings,
            "assertions": ["type": "array", "items": outcome(kinds: ["equals", "approx", "set_equal", "contains", "regex", "item_list_f1"])],
            "limits": ["type": "array", "items": object(nil, "A ceiling on the case's cost or latency.",
                                                         required: ["name": string, "measure": ["enum": .array(limitKinds)], "maximum": amount])],
            "usage": ["type": "array", "items": usage],
            "virtual_ms": amount, "wall_ms": amount,
            "step_virtual_ms": namedMap(amount),
            "origin": ["enum": ["live", "synthetic", "none"]],
        ],
        optional: [
            "error": ["type": "string", "description": "Why the case failed or could not run."],
            "plan": planScore,
            "fallbacks": adding(namedMap(string), ["description": "Worker steps that fell back to their rules, with the reason."]),
            "cassette_miss": ["type": "boolean", "description": "Present (true) when the case stopped at a request its cassette does not hold (a stale cassette: re-record it)."],
        ])

    static let planScore = object(
        "Plan score", "How close the predicted plan is to the golden one (docs/suites.md, \"Plan scores\").",
        required: [
            "valid": boolean, "node_f1": fraction, "edge_f1": fraction, "argument_f1": fraction, "exact": boolean, "problems": strings,
            "alignment": object(nil, "The golden–predicted step pairs the scores rest on.", required: [
                "pairs": ["type": "array", "items": object(nil, "An aligned step pair.", required: ["golden": string, "predicted": string, "similarity": fraction])],
                "unmatched_golden": strings, "unmatched_predicted": strings,
            ]),
        ])

    static let usage = object(
        "Usage record", "What one model exchange used.",
        required: [
            "role": ["enum": .array(UsageRecord.Role.allCases.map { .string($0.rawValue) })],
            "model": string, "input_tokens": count, "output_tokens": count, "latency_ms": amount,
        ],
        optional: ["step_id": string])

    static let cost = object(
        "Cost breakdown", "The case's cost in USD, summed three ways; models missing from the price table are listed in unpriced.",
        required: ["total_usd": amount, "by_role": byRole, "by_model": namedMap(amount), "by_step": namedMap(amount), "unpriced": strings])

    static func outcome(kinds: [JSONValue]) -> JSONValue {
        object("Assertion outcome", "How one assertion or limit fared: expected, actual (absent when nothing was found), a score in 0…1.",
               required: ["name": string, "kind": ["enum": .array(kinds)], "passed": boolean, "score": fraction, "expected": true, "message": string],
               optional: ["actual": true])
    }

    static let estimate = object(
        "Estimate", "A mean with its bootstrap 95 % interval over n cases.",
        required: ["mean": number, "low": number, "high": number, "n": ["type": "integer", "minimum": 1]])

    /// `Report.origin`: the cases' origins sorted and `+`-joined; empty when no case ran.
    static let mixedOrigin: JSONValue = ["enum": ["", "live", "none", "synthetic", "live+none", "live+synthetic", "none+synthetic", "live+none+synthetic"]]
    static let limitKinds: [JSONValue] = ["cost_usd", "virtual_ms", "wall_ms"]
    static let byRole = object(nil, "USD by role.", optional: Dictionary(uniqueKeysWithValues: UsageRecord.Role.allCases.map { ($0.rawValue, amount) }))

    static let string: JSONValue = ["type": "string"]
    static let strings: JSONValue = ["type": "array", "items": ["type": "string"]]
    static let boolean: JSONValue = ["type": "boolean"]
    static let number: JSONValue = ["type": "number"]
    /// USD or milliseconds.
    static let amount: JSONValue = ["type": "number", "minimum": 0]
    static let count: JSONValue = ["type": "integer", "minimum": 0]
    static let fraction: JSONValue = ["type": "number", "minimum": 0, "maximum": 1]

    /// An object keyed by names (models, steps), each member a `value`.
    static func namedMap(_ value: JSONValue) -> JSONValue { ["type": "object", "additionalProperties": value] }

    /// A closed object, so a misspelt member is reported: `required` members the encoder always
    /// writes, `optional` ones it writes only when set.
    static func object(_ title: String?, _ description: String, required: [String: JSONValue] = [:],
                       optional: [String: JSONValue] = [:]) -> JSONValue {
        var schema: [String: JSONValue] = [
            "description": .string(description), "type": "object", "additionalProperties": false,
            "properties": .object(required.merging(optional) { a, _ in a }),
        ]
        if let title { schema["title"] = .string(title) }
        if !required.isEmpty { schema["required"] = .array(required.keys.sorted().map(JSONValue.string)) }
        return .object(schema)
    }

    /// `schema` (an object schema) with `members` added or replaced.
    static func adding(_ schema: JSONValue, _ members: [String: JSONValue]) -> JSONValue {
        .object((schema.objectValue ?? [:]).merging(members) { _, new in new })
    }
}
