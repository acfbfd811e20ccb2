import Foundation
import OrchJSON
@testable import Orchestrator
import Testing

/// The planner's prompt, the answer's schema and the catalog in provider formats, built from the
/// standard catalog.
@Suite struct PlannerPromptTests {
    let catalog = try! StandardTools.catalog(environment: ["OCR_MODE": "fixture"])

    @Test("the prompt names every tool with its input fields and every function with its arguments")
    func promptListsTheCatalog() {
        let prompt = PlannerPrompt(catalog: catalog, request: "Process the receipt")
        #expect(prompt.request == "Process the receipt")
        #expect(prompt.system.contains("- receipt_ocr(image_uri): Reads a receipt image into text. Returns {text, confidence}."))
        #expect(prompt.system.contains("- line_item_parser(ocr_text?, text?): Finds the items in receipt text."))
        #expect(prompt.system.contains("- function_call(name, args?): Calls the function `name` with `args`."))
        #expect(prompt.system.contains("  - compute_tax(amount, tax_rate?): Calculate the tax on an amount"))
        #expect(prompt.system.contains("\"step:ID.field\""))
        for name in catalog.names { #expect(prompt.system.contains("- \(name)(")) }
    }

    /// A 1.5B model reads about 50 prompt tokens a second here; a token is about 4 characters.
    @Test("the system prompt stays short: under 2,200 characters (about 550 tokens)")
    func promptIsShort() {
        let prompt = PlannerPrompt(catalog: catalog, request: "x")
        #expect(prompt.system.count < 2_200, "\(prompt.system.count) characters:\n\(prompt.system)")
    }

    @Test("the prompt's example plan is itself a valid plan for the catalog, written in the answer schema")
    func exampleIsValid() throws {
        let text = try #require(PlannerPrompt.example.components(separatedBy: " -> ").last)
        let answer = try JSONValue(parsing: text)
        #expect(try JSONSchema(PlanSchema.json(for: catalog)).violations(of: answer).isEmpty)
        let plan = JSONValue.object((answer.objectValue ?? [:]).merging(["request_id": "example"]) { a, _ in a })
        let validated = try PlanValidator(catalog: catalog).validate(json: plan)
        #expect(validated.plan.steps.map(\.tool) == ["receipt_ocr", "line_item_parser", "function_call"])
    }

    @Test("a repair message lists each problem with its step and field")
    func repairMessage() {
        let text = PlannerPrompt.repairMessage([PlanProblem(stepID: "ocr", field: "id", message: "the id 'ocr' is used by more than one step; ids must be unique")])
        #expect(text == "The plan has problems:\n- step 'ocr': id: the id 'ocr' is used by more than one step; ids must be unique\nAnswer with the whole corrected plan as JSON.")
    }

    @Test("the answer schema accepts a sound plan (references where numbers go) and rejects a nested depends_on or an unknown tool")
    func answerSchema() throws {
        let schema = try JSONSchema(PlanSchema.json(for: catalog))
        let good: JSONValue = ["steps": [
            ["id": "ocr", "tool": "receipt_ocr", "depends_on": [], "input": ["image_uri": "r.png"]],
            ["id": "parse", "tool": "line_item_parser", "depends_on": ["ocr"], "input": ["ocr_text": "step:ocr"]],
            ["id": "tax", "tool": "function_call", "depends_on": ["parse"],
             "input": ["name": "compute_tax", "args": ["amount": "step:parse.subtotal", "tax_rate": 0.08]]],
            ["id": "code", "tool": "code_exec", "depends_on": ["parse"], "input": ["code": "output = len(input['items'])", "input_data": "step:parse"]],
        ]]
        #expect(schema.violations(of: good).isEmpty, "\(schema.violations(of: good))")
        let bad: JSONValue = ["steps": [["id": "a", "tool": "scan", "depends_on": [], "input": ["image_uri": 3]]]]
        #expect(!schema.violations(of: bad).isEmpty)
    }

    @Test("a step is one shape per tool and per function: a function_call needs a name, and that function's required arguments")
    func stepShapes() throws {
        let shapes = PlanSchema.stepShapes(for: catalog)
        let tools = shapes.compactMap { $0["properties"]?["tool"]?["enum"]?.arrayValue?.first?.stringValue }
        #expect(Set(tools) == Set(catalog.names))
        #expect(tools.filter { $0 == "function_call" }.count == 5, "one shape per built-in function")
        #expect(shapes.allSatisfy { $0["properties"]?["tool"]?["enum"]?.arrayValue?.count == 1 })
        let schema = try JSONSchema(PlanSchema.json(for: catalog))
        func accepts(_ step: JSONValue) -> Bool { schema.violations(of: ["steps": [step]]).isEmpty }
        let stats: JSONValue = ["id": "stats", "tool": "function_call", "depends_on": ["parse"],
                                "input": ["name": "compute_item_statistics", "args": ["items": "step:parse.items"]]]
        #expect(accepts(stats))
        #expect(!accepts(["id": "stats", "tool": "function_call", "depends_on": [], "input": ["args": ["items": "step:parse.items"]]]), "no name")
        #expect(!accepts(["id": "stats", "tool": "function_call", "depends_on": [], "input": ["name": "compute_item_statistics", "args": [:]]]),
                "a required argument missing")
        #expect(!accepts(["id": "ocr", "tool": "receipt_ocr", "depends_on": [], "input": ["text": "step:x"]]), "another tool's input")
    }

    @Test("the answer schema stays within Gemini's subset: every object has properties, one type per value")
    func geminiSafe() {
        func check(_ schema: JSONValue, at path: String) {
            if schema["type"] == "object" {
                #expect(!(schema["properties"]?.objectValue?.isEmpty ?? true), "\(path): an object without properties")
            }
            #expect(schema["type"]?.arrayValue == nil, "\(path): several types")
            for (name, property) in schema["properties"]?.objectValue ?? [:] { check(property, at: path + "." + name) }
            if let items = schema["items"] { check(items, at: path + "[]") }
            for variant in schema["anyOf"]?.arrayValue ?? [] { check(variant, at: path + "|") }
        }
        check(PlanSchema.json(for: catalog), at: "plan")
    }

    @Test("the catalog renders in OpenAI, Anthropic and Gemini tool formats, one entry per tool, kind first in the description")
    func providerFormats() throws {
        let openAI = try #require(catalog.openAITools().arrayValue)
        #expect(openAI.count == catalog.names.count)
        let ocr = try #require(openAI.first { $0["function"]?["name"] == "receipt_ocr" })
        #expect(ocr["type"] == "function")
        #expect(ocr["function"]?["parameters"]?["required"] == ["image_uri"])
        #expect(ocr["function"]?["description"]?.stringValue?.hasPrefix("[mcp] Reads a local receipt image") == true)
        let anthropic = try #require(catalog.anthropicTools().arrayValue)
        #expect(anthropic.compactMap { $0["name"]?.stringValue } == catalog.names)
        #expect(anthropic.first { $0["name"] == "code_exec" }?["input_schema"]?["required"] == ["code"])
        let gemini = try #require(catalog.geminiTools()[0]?["functionDeclarations"]?.arrayValue)
        #expect(gemini.count == catalog.names.count)
        #expect(gemini.first { $0["name"] == "receipt_ocr" }?["parameters"]?["properties"]?["image_uri"]?["type"] == "STRING")
        #expect(catalog.restricted(to: ["receipt_ocr", "nope"]).names == ["receipt_ocr"])
    }
}

extension JSONValue {
    fileprivate subscript(index: Int) -> JSONValue? { arrayValue.flatMap { $0.indices.contains(index) ? $0[index] : nil } }
}
