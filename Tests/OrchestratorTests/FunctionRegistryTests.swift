import Testing
import OrchJSON
@testable import Orchestrator

/// A user's function, registered the way README shows.
private struct ShippingArguments: FunctionArguments {
    var weight_kg: Double
    var express: Bool?

    static let schema: JSONValue = [
        "type": "object", "required": ["weight_kg"], "additionalProperties": false,
        "properties": [
            "weight_kg": ["type": "number", "exclusiveMinimum": 0],
            "express": ["type": "boolean"],
        ],
    ]
}

private struct ShippingQuote: Encodable {
    var cost: Double
    var days: Int
}

private func registryWithShipping() throws -> FunctionRegistry {
    var registry = FunctionRegistry.builtIns
    try registry.register("shipping_cost", description: "Cost and days to ship a parcel", arguments: ShippingArguments.self) { args in
        guard args.weight_kg <= 30 else { throw FunctionError.badArgument("weight_kg", "Parcels over 30 kg go by freight") }
        return ShippingQuote(cost: 4 + args.weight_kg * (args.express == true ? 2 : 1), days: args.express == true ? 1 : 3)
    }
    return registry
}

@Suite struct FunctionRegistryTests {
    @Test func aUserRegistersATypedFunctionInAFewLines() async throws {
        let registry = try registryWithShipping()
        #expect(registry.names.contains("shipping_cost"))
        #expect(registry.descriptor(for: "shipping_cost")?.schema == ShippingArguments.schema)
        #expect(try await registry.call("shipping_cost", arguments: ["weight_kg": 2, "express": true]) == ["cost": 8, "days": 1])
        #expect(try await registry.call("shipping_cost", arguments: ["weight_kg": 2]) == ["cost": 6, "days": 3])
    }

    @Test func argumentsAreCheckedBeforeTheCall() async throws {
        let registry = try registryWithShipping()
        let error = await #expect(throws: FunctionError.self) {
            try await registry.call("shipping_cost", arguments: ["weight_kg": "heavy"])
        }
        #expect(error?.kind == .badArguments)
        #expect(error?.argument == "weight_kg")
        #expect(error?.description == #"shipping_cost: argument 'weight_kg': expected number, got string "heavy""#)
    }

    @Test func everyArgumentProblemIsInOneError() async throws {
        let registry = try registryWithShipping()
        let error = await #expect(throws: FunctionError.self) {
            try await registry.call("shipping_cost", arguments: ["express": "yes", "colour": "red"])
        }
        #expect(error?.argument == nil)
        #expect(error?.description == "shipping_cost: argument 'weight_kg': missing (required); "
            + "argument 'colour': not allowed (known: express, weight_kg); "
            + #"argument 'express': expected boolean, got string "yes""#)
    }

    @Test func aFunctionsOwnErrorNamesTheFunctionAndArgument() async throws {
        let registry = try registryWithShipping()
        let error = await #expect(throws: FunctionError.self) {
            try await registry.call("shipping_cost", arguments: ["weight_kg": 31])
        }
        #expect(error == FunctionError(kind: .badArguments, function: "shipping_cost", argument: "weight_kg", message: "Parcels over 30 kg go by freight"))
    }

    @Test func otherErrorsBecomeFunctionFailures() async throws {
        struct Outage: Error, CustomStringConvertible { var description: String { "rate service is down" } }
        var registry = FunctionRegistry()
        try registry.register(name: "rates", description: "Live rates", schema: ["type": "object"]) { _ in throw Outage() }
        try registry.register(name: "infinite", description: "Not JSON", schema: ["type": "object"]) { _ in .number(.infinity) }
        try registry.register("infinite_typed", description: "Not JSON", arguments: ShippingArguments.self) { _ in Double.infinity }
        let outage = await #expect(throws: FunctionError.self) { try await registry.call("rates", arguments: [:]) }
        #expect(outage?.kind == .failed)
        #expect(outage?.description == "rates: rate service is down")
        let notJSON = await #expect(throws: FunctionError.self) { try await registry.call("infinite_typed", arguments: ["weight_kg": 1]) }
        #expect(notJSON?.kind == .failed)
        #expect(notJSON?.message.contains("not JSON") == true)
    }

    @Test func aValueTheSchemaAllowsButSwiftCannotHoldNamesTheArgument() async throws {
        struct Repeat: FunctionArguments {
            var times: UInt8
            static let schema: JSONValue = ["type": "object", "required": ["times"], "properties": ["times": ["type": "integer"]]]
        }
        var registry = FunctionRegistry()
        try registry.register("repeat", description: "Repeats", arguments: Repeat.self) { args in Int(args.times) }
        #expect(try await registry.call("repeat", arguments: ["times": 3]) == 3)
        let error = await #expect(throws: FunctionError.self) { try await registry.call("repeat", arguments: ["times": 300]) }
        #expect(error?.kind == .badArguments)
        #expect(error?.description.hasPrefix("repeat: ") == true)
        #expect(error?.description.contains("does not decode as Repeat") == true)

        struct Loose: FunctionArguments {
            var name: String
            static let schema: JSONValue = ["type": "object"]
        }
        try registry.register("loose", description: "Schema looser than its type", arguments: Loose.self) { $0.name }
        let mismatch = await #expect(throws: FunctionError.self) { try await registry.call("loose", arguments: ["name": 5]) }
        #expect(mismatch?.argument == "name")
        #expect(mismatch?.description.hasPrefix("loose: argument 'name': passes the schema but does not decode as Loose") == true)
    }

    @Test func untypedFunctionsSeeTheirJSONArguments() async throws {
        var registry = FunctionRegistry()
        try registry.register(name: "echo", description: "Returns its arguments", schema: ["type": "object"]) { $0 }
        #expect(try await registry.call("echo", arguments: ["a": [1, nil]]) == ["a": [1, nil]])
        #expect(registry.descriptors.map(\.name) == ["echo"])
    }

    @Test func unknownFunctionsListTheRegisteredOnes() async throws {
        let error = await #expect(throws: FunctionError.self) {
            try await FunctionRegistry.builtIns.call("compute_taxes", arguments: [:])
        }
        #expect(error?.kind == .unknownFunction)
        #expect(error?.description == "unknown function 'compute_taxes'; did you mean 'compute_tax'? registered functions: apply_discount, compute_item_statistics, compute_tax, filter_items_by_category, merge_items")
        #expect(FunctionRegistry.builtIns.argumentProblems(function: "Merge_Item", arguments: [:]).first?.contains("did you mean 'merge_items'?") == true)
        #expect(FunctionRegistry.builtIns.argumentProblems(function: "send_email", arguments: [:]).first?.contains("did you mean") == false)
        #expect(await (try? FunctionRegistry().call("x", arguments: [:])) == nil)
        #expect(FunctionRegistry().argumentProblems(function: "x", arguments: [:]) == ["unknown function 'x'; no functions are registered"])
    }

    @Test func argumentProblemsNameFunctionAndArgument() {
        let registry = FunctionRegistry.builtIns
        #expect(registry.argumentProblems(function: "compute_tax", arguments: ["amount": "abc"])
            == [#"compute_tax: argument 'amount': expected number, got string "abc""#])
        #expect(registry.argumentProblems(function: "compute_tax", arguments: ["amount": 1, "tax_rate": 0.1]) == [])
        #expect(registry.argumentProblems(function: "apply_discount", arguments: ["amount": 1]) == [
            "apply_discount: argument 'discount_percent': missing (required)"
        ])
        #expect(registry.argumentProblems(function: "merge_items", arguments: [1, 2]) == [
            "merge_items: arguments: expected object, got array of 2 items"
        ])
        #expect(registry.argumentProblems(function: "merge_items", arguments: ["items": [["total": "9.99"]]]) == [
            #"merge_items: argument 'items.0.total': expected number, got string "9.99""#
        ])
    }

    @Test func argumentProblemsCanSkipValuesKnownOnlyAtRunTime() {
        let registry = FunctionRegistry.builtIns
        let isReference: (JSONValue) -> Bool = { $0.stringValue?.hasPrefix("step:") == true }
        let arguments: JSONValue = ["amount": "step:step-1.total", "tax_rate": "high"]
        #expect(registry.argumentProblems(function: "compute_tax", arguments: arguments, isPlaceholder: isReference)
            == [#"compute_tax: argument 'tax_rate': expected number, got string "high""#])
        #expect(registry.argumentProblems(function: "merge_items", arguments: ["items": "step:step-2"], isPlaceholder: isReference) == [])
        #expect(registry.argumentProblems(function: "merge_items", arguments: ["items": ["step:a", ["total": 1]]], isPlaceholder: isReference) == [])
        #expect(registry.argumentProblems(function: "compute_tax", arguments: [:], isPlaceholder: isReference)
            == ["compute_tax: argument 'amount': missing (required)"])
    }

    @Test func registrationRejectsBadNamesDuplicatesAndSchemas() throws {
        var registry = FunctionRegistry.builtIns
        let body: FunctionRegistry.Body = { $0 }
        #expect(throws: FunctionRegistrationError(function: "compute_tax", message: "a function of that name is already registered; remove it first to replace it")) {
            try registry.register(name: "compute_tax", description: "", schema: true, body: body)
        }
        for bad in ["", "has space", "dot.ted", String(repeating: "a", count: 65)] {
            #expect(throws: FunctionRegistrationError.self) { try registry.register(name: bad, description: "", schema: true, body: body) }
        }
        let malformed = #expect(throws: FunctionRegistrationError.self) {
            try registry.register(name: "f", description: "", schema: ["type": "float"], body: body)
        }
        #expect(malformed?.description.hasPrefix("cannot register function 'f': invalid JSON Schema at 'type'") == true)
        // Replacing a built-in takes an explicit remove.
        #expect(registry.remove("compute_tax")?.name == "compute_tax")
        try registry.register(name: "compute_tax", description: "flat", schema: true) { _ in 1 }
        #expect(registry.descriptor(for: "compute_tax")?.description == "flat")
        #expect(FunctionRegistry.builtIns.descriptor(for: "compute_tax")?.description != "flat")
    }
}

/// The example docs/functions.md shows, kept compiling and correct here.
private struct TipArguments: FunctionArguments {
    var amount: Double
    var percent: Double

    static let schema: JSONValue = [
        "type": "object", "required": ["amount", "percent"], "additionalProperties": false,
        "properties": [
            "amount": ["type": "number", "minimum": 0, "description": "Bill before tip"],
            "percent": ["type": "number", "minimum": 0, "maximum": 100, "description": "Tip in percent"],
        ],
    ]
}

@Suite struct FunctionDocsExampleTests {
    @Test func theDocumentedExampleWorks() async throws {
        var functions = FunctionRegistry.builtIns
        try functions.register("compute_tip", description: "Tip on a bill, rounded to cents", arguments: TipArguments.self) { args in
            ["tip": .number((args.amount * args.percent).rounded() / 100)]
        }
        let tool = FunctionCallTool(registry: functions)
        let output = try await tool.call(["name": "compute_tip", "args": ["amount": 42.5, "percent": 18]], context: StepContext(stepID: "tip"))
        #expect(output.value == ["result": ["tip": 7.65]])
        #expect(functions.argumentProblems(function: "compute_tip", arguments: ["amount": 42.5, "percent": 180])
            == ["compute_tip: argument 'percent': expected <= 100, got 180"])
    }
}
