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
    @Test("the system prompt stays short: under 1,800 characters (about 450 tokens)")
    func promptIsShort() {
        let prompt = PlannerPrompt(catalog: catalog, request: "x")
        #expect(prompt.system.count < 1_800, "\(prompt.system.count) characters:\n\(prompt.system)")
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
        let steps = PlanSchema.json(for: catalog)["properties"]?["steps"]?["items"]
        #expect(steps?["properties"]?["input"]?["properties"]?["depends_on"] == nil)
        #expect(steps?["properties"]?["tool"]?["enum"] == .array(catalog.names.map(JSONValue.string)))
        let bad: JSONValue = ["steps": [["id": "a", "tool": "scan", "depends_on": [], "input": ["image_uri": 3]]]]
        #expect(schema.violations(of: bad).count >= 2)
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
