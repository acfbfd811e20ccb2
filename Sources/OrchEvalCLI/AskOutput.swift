import Foundation
import OrchJSON
import Providers

/// How `ask` builds its request from the options and checks the answer against `--schema`.
enum AskRequest {
    static func make(_ options: AskCommand.Options, directory: URL) throws -> (ChatRequest, JSONSchema?) {
        var request = ChatRequest(system: options.system, messages: [.user(options.prompt)])
        guard let path = options.schemaPath else { return (request, nil) }
        let file = URL(fileURLWithPath: path, relativeTo: directory)
        guard let data = FileManager.default.contents(atPath: file.path) else { throw AskError("cannot read the schema file \(path)") }
        let json: JSONValue
        do { json = try JSONValue(parsing: data) } catch { throw AskError("\(path) is not JSON: \(error)") }
        let schema: JSONSchema
        do { schema = try JSONSchema(json) } catch { throw AskError("\(path) is not a usable JSON Schema: \(error)") }
        request.responseFormat = ResponseFormat(name: schemaName(file), schema: json)
        return (request, schema)
    }

    /// `plan.schema.json` → `plan_schema`: what OpenAI accepts as a name.
    static func schemaName(_ file: URL) -> String {
        var base = file.lastPathComponent
        if base.hasSuffix(".json") { base = String(base.dropLast(5)) }
        let name = String(base.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }.prefix(64))
        return name.isEmpty ? "answer" : name
    }

    /// Why the answer does not follow `schema`, or nil when it does.
    static func problem(with response: ChatResponse, schema: JSONSchema) -> String? {
        guard let json = response.json else { return "it is not JSON: \(ProviderError.clip(response.text, limit: 120))" }
        let violations = schema.violations(of: json)
        return violations.isEmpty ? nil : violations.prefix(3).map(\.description).joined(separator: "; ")
    }

    struct AskError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// How `ask` prints a response.
enum AskOutput {
    /// The `--json` form: exactly the keys docs/providers.md documents.
    static func json(_ response: ChatResponse, prices: PriceTable) -> JSONValue {
        let usage: JSONValue = response.usage.map { usage in
            ["input_tokens": .number(Double(usage.inputTokens)), "output_tokens": .number(Double(usage.outputTokens))]
        } ?? .null
        return [
            "text": .string(response.text),
            "tool_calls": .array(response.toolCalls.map { ["id": .string($0.id), "name": .string($0.name), "arguments": $0.arguments] }),
            "usage": usage,
            "cost_usd": cost(response, prices: prices).map(JSONValue.number) ?? .null,
            "model": .string(response.model),
            "latency_ms": ["first_byte": response.latency.firstByteMilliseconds.map(JSONValue.number) ?? .null,
                           "total": .number(response.latency.totalMilliseconds)],
            "finish_reason": .string(response.finishReason.name),
        ]
    }

    /// One line for a terminal: model, tokens, latency, cost.
    static func summary(_ response: ChatResponse, prices: PriceTable) -> String {
        let tokens = response.usage.map { "\($0.inputTokens) in / \($0.outputTokens) out tokens" } ?? "usage unknown"
        let cost = cost(response, prices: prices).map { String(format: "$%.6f", $0) } ?? "cost unknown"
        return "[\(response.provider) \(response.model) · \(tokens) · \(Int(response.latency.totalMilliseconds)) ms · \(cost)]"
    }

    static func cost(_ response: ChatResponse, prices: PriceTable) -> Double? {
        prices.cost(provider: response.provider, model: response.model, usage: response.usage,
                     computeSeconds: response.latency.totalMilliseconds / 1000)
    }

    /// `Fixtures/pricing.json` under `directory`; without it local models still cost zero and
    /// cloud models an unknown amount.
    static func priceTable(in directory: URL) -> PriceTable {
        (try? PriceTable.load(directory.appendingPathComponent("Fixtures/pricing.json"))) ?? PriceTable(prices: [])
    }
}
