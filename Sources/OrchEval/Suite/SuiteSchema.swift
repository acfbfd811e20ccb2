import OrchJSON

/// The JSON Schema every suite file must satisfy (documented in docs/suites.md). The loader
/// checks it before reading any field, so every structural problem is reported at once.
enum SuiteSchema {
    static let modelChoice: JSONValue = [
        "anyOf": [
            ["const": "golden"],
            ["type": "object", "required": ["provider", "model"], "additionalProperties": false,
             "properties": ["provider": ["type": "string", "minLength": 1], "model": ["type": "string", "minLength": 1]]],
        ],
    ]

    static let configuration: JSONValue = [
        "type": "object", "required": ["name", "planner", "workers"], "additionalProperties": false,
        "properties": [
            "name": ["type": "string", "pattern": "^[A-Za-z0-9._-]+$"],
            "description": ["type": "string"],
            "planner": modelChoice,
            "workers": ["type": "object", "required": ["kind"], "additionalProperties": false,
                        "properties": ["kind": ["enum": ["rules", "small", "large"]], "model": modelChoice]],
            "synthesis": modelChoice,
            "ocr_mode": ["enum": ["fixture", "tesseract"]],
            "cases": ["type": "array", "items": ["type": "string"]],
            "environment": ["type": "object", "additionalProperties": ["type": "string"]],
        ],
    ]

    static let assertion: JSONValue = [
        "type": "object", "required": ["kind"], "additionalProperties": false,
        "properties": [
            "kind": ["enum": ["equals", "approx", "set_equal", "contains", "regex", "item_list_f1", "max_cost", "max_latency"]],
            "name": ["type": "string"],
            "select": ["type": "string"],
            "expected": true,
            "abs": ["type": "number", "minimum": 0],
            "rel": ["type": "number", "minimum": 0],
            "pattern": ["type": "string"],
            "min_f1": ["type": "number", "minimum": 0, "maximum": 1],
            "description_similarity": ["type": "number", "minimum": 0, "maximum": 1],
            "quantity_tolerance": ["type": "number", "minimum": 0],
            "total_tolerance": ["type": "number", "minimum": 0],
            "usd": ["type": "number", "minimum": 0],
            "ms": ["type": "number", "minimum": 0],
            "clock": ["enum": ["virtual", "wall"]],
        ],
    ]

    static let suiteCase: JSONValue = [
        "type": "object", "required": ["id", "request"], "additionalProperties": false,
        "properties": [
            "id": ["type": "string", "pattern": "^[A-Za-z0-9._-]+$"],
            "request": ["type": "string", "minLength": 1],
            "inputs": ["type": "object"],
            "golden_plan": ["type": "object"],
            "golden_plan_file": ["type": "string"],
            "assertions": ["type": "array", "items": assertion],
            "tags": ["type": "array", "items": ["type": "string"]],
        ],
    ]

    /// The price table; reports hold it too (`ReportSchema`).
    static let prices: JSONValue = [
        "type": "object", "required": ["models"], "additionalProperties": false,
        "properties": ["source": ["type": "string"], "models": ["type": "object", "additionalProperties": [
            "type": "object", "additionalProperties": false,
            "properties": ["input_per_million": ["type": "number", "minimum": 0],
                           "output_per_million": ["type": "number", "minimum": 0],
                           "per_second": ["type": "number", "minimum": 0]]]]],
    ]

    static let thresholds: JSONValue = [
        "type": "object", "additionalProperties": false,
        "properties": ["max_cost_increase": ["type": "number", "minimum": 0],
                       "max_quality_drop": ["type": "number", "minimum": 0],
                       "max_latency_increase": ["type": "number", "minimum": 0]],
    ]

    static let suite: JSONValue = [
        "type": "object", "required": ["format_version", "name", "configurations"], "additionalProperties": false,
        "properties": [
            "$schema": ["type": "string"],
            "format_version": ["const": 1],
            "name": ["type": "string", "pattern": "^[A-Za-z0-9._-]+$"],
            "description": ["type": "string"],
            "cassettes": ["type": "string"],
            "prices": prices,
            "thresholds": thresholds,
            "headline": ["type": "object", "required": ["baseline", "candidate"], "additionalProperties": false,
                         "properties": ["baseline": ["type": "string"], "candidate": ["type": "string"]]],
            "configurations": ["type": "array", "minItems": 1, "items": configuration],
            "cases": ["type": "array", "items": suiteCase],
            "cases_file": ["type": "string"],
        ],
    ]
}
