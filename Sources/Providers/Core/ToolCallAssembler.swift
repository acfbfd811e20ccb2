import Foundation
import OrchJSON

/// Collects streamed tool-call pieces (by index) into complete calls, for the providers whose
/// streams send arguments as JSON text fragments (OpenAI family, Anthropic).
public struct ToolCallAssembler: Sendable {
    private var calls: [Int: (id: String?, name: String?, arguments: String)] = [:]

    public init() {}

    /// Adds a piece; `id` and `name` are kept from the first piece that carries them.
    public mutating func add(index: Int, id: String?, name: String?, argumentsFragment: String) {
        var call = calls[index] ?? (nil, nil, "")
        if call.id == nil, let id, !id.isEmpty { call.id = id }
        if call.name == nil, let name, !name.isEmpty { call.name = name }
        call.arguments += argumentsFragment
        calls[index] = call
    }

    public var isEmpty: Bool { calls.isEmpty }

    /// The calls in index order; arguments that are not a JSON object are `.malformedResponse`.
    public func assembled(provider: String) throws(ProviderError) -> [ToolCall] {
        var result: [ToolCall] = []
        for index in calls.keys.sorted() {
            let call = calls[index]!
            guard let name = call.name else {
                throw ProviderError(.malformedResponse, provider: provider, "streamed tool call #\(index) never named its function")
            }
            result.append(ToolCall(id: call.id ?? "call_\(index)", name: name,
                                   arguments: try ToolCall.parseArguments(call.arguments, provider: provider, tool: name)))
        }
        return result
    }
}

extension ToolCall {
    /// Tool arguments sent as JSON text (OpenAI style): an object; empty text is `{}`.
    public static func parseArguments(_ text: String, provider: String, tool: String) throws(ProviderError) -> JSONValue {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .object([:]) }
        guard let value = try? JSONValue(parsing: text), value.objectValue != nil else {
            throw ProviderError(.malformedResponse, provider: provider,
                                "the arguments of tool call '\(tool)' are not a JSON object: \(ProviderError.clip(text))")
        }
        return value
    }
}
