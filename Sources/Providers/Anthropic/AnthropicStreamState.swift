import OrchJSON

/// Assembles an Anthropic Messages stream (wire-formats.md §3) event by event: text and
/// tool-input deltas go out as they come, usage is taken from `message_start` and the last
/// `message_delta` (whose counts are cumulative totals, not increments), `ping` is skipped,
/// an `error` event is a `ProviderError`, and the answer is complete only at `message_stop`.
struct AnthropicStreamState: EventStreamAssembler, Sendable {
    let client: AnthropicClient
    let request: ChatRequest
    private var message: JSONValue = .null
    private var blocks: [Int: Block] = [:]
    private var usage: [String: JSONValue] = [:]
    private var stopReason: String?
    private(set) var finished = false

    private struct Block {
        var type: String
        var text = ""
        var id: String?
        var name: String?
        var json = ""
        var toolIndex: Int?
    }

    init(client: AnthropicClient, request: ChatRequest) {
        self.client = client
        self.request = request
    }

    /// Feeds one server-sent event; returns the deltas it carries.
    mutating func handle(_ data: String) throws -> [ChatStreamEvent] {
        let event: JSONValue
        do { event = try JSONValue(parsing: data) } catch {
            throw ProviderError.malformed(client.provider, expected: "every stream event's data is JSON", got: .string(data))
        }
        switch event["type"]?.stringValue {
        case "message_start":
            message = event["message"] ?? .null
            merge(event["message"]?["usage"])
        case "content_block_start":
            guard let index = event["index"]?.intValue, let block = event["content_block"], let type = block["type"]?.stringValue else {
                throw ProviderError.malformed(client.provider, expected: "content_block_start has an index and a content_block with a type", got: event)
            }
            var new = Block(type: type, text: block["text"]?.stringValue ?? "", id: block["id"]?.stringValue, name: block["name"]?.stringValue)
            if type == "tool_use", !isStructuredAnswer(new.name) {
                new.toolIndex = blocks.values.filter { $0.toolIndex != nil }.count
                blocks[index] = new
                return [.toolCallDelta(index: new.toolIndex ?? 0, id: new.id, name: new.name, argumentsFragment: "")]
            }
            blocks[index] = new
        case "content_block_delta":
            guard let index = event["index"]?.intValue, blocks[index] != nil, let delta = event["delta"] else {
                throw ProviderError.malformed(client.provider, expected: "content_block_delta follows its content_block_start", got: event)
            }
            switch delta["type"]?.stringValue {
            case "text_delta":
                let text = delta["text"]?.stringValue ?? ""
                blocks[index]?.text += text
                return text.isEmpty ? [] : [.textDelta(text)]
            case "input_json_delta":
                let fragment = delta["partial_json"]?.stringValue ?? ""
                blocks[index]?.json += fragment
                if let toolIndex = blocks[index]?.toolIndex {
                    return fragment.isEmpty ? [] : [.toolCallDelta(index: toolIndex, id: nil, name: nil, argumentsFragment: fragment)]
                }
                // The forced structured-output tool: its input is the answer's text.
                return fragment.isEmpty ? [] : [.textDelta(fragment)]
            default:
                return []  // thinking_delta, signature_delta, citations_delta
            }
        case "message_delta":
            if let reason = event["delta"]?["stop_reason"]?.stringValue { stopReason = reason }
            merge(event["usage"])
        case "message_stop":
            finished = true
        case "error":
            throw client.streamError(event["error"] ?? event)
        case "ping", "content_block_stop":
            break
        default:
            break  // unknown event types are skipped, as the SDK does
        }
        return []
    }

    /// The answer once `message_stop` arrived, as a non-streamed call would decode it.
    func response(latency: Latency) throws -> ChatResponse {
        var content: [JSONValue] = []
        for index in blocks.keys.sorted() {
            guard let block = blocks[index] else { continue }
            switch block.type {
            case "text": content.append(["type": "text", "text": .string(block.text)])
            case "tool_use":
                let input = try ToolCall.parseArguments(block.json, provider: client.provider, tool: block.name ?? "")
                content.append(["type": "tool_use", "id": .string(block.id ?? ""), "name": .string(block.name ?? ""), "input": input])
            default: continue
            }
        }
        var whole = message.objectValue ?? [:]
        whole["type"] = "message"
        whole["content"] = .array(content)
        whole["stop_reason"] = stopReason.map(JSONValue.string) ?? .null
        whole["usage"] = .object(usage)
        return try client.decode(.object(whole), for: request, latency: latency)
    }

    private func isStructuredAnswer(_ name: String?) -> Bool {
        request.responseFormat?.name == name
    }

    private mutating func merge(_ counts: JSONValue?) {
        for (key, value) in counts?.objectValue ?? [:] { usage[key] = value }
    }
}
