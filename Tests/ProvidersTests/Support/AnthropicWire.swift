import CassetteTesting
import Foundation
import OrchJSON

/// Answers in Anthropic's Messages wire format (wire-formats.md §3), with the content
/// `ConformanceFixture` expects.
enum AnthropicWire {
    static func usage(input: Int = 12, output: Int = 3) -> JSONValue {
        ["input_tokens": .number(Double(input)), "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
         "cache_creation": ["ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0],
         "output_tokens": .number(Double(output)), "service_tier": "standard"]
    }

    static func message(_ content: JSONValue, stop: String, usage: JSONValue = usage()) -> LoopbackHTTPServer.Response {
        let body: JSONValue = ["id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant",
                               "model": "claude-haiku-4-5-20251001", "content": content, "stop_reason": .string(stop),
                               "stop_sequence": nil, "usage": usage]
        return .json(body.serialized(), headers: ["request-id": "req_011CSLsW7mFqvHHnzrKdKjAE"])
    }

    static let plain = message([["type": "text", "text": "Hello!"]], stop: "end_turn")
    static let tool = message([["type": "text", "text": "Checking."],
                               ["type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather", "input": ["city": "Paris"]]],
                              stop: "tool_use")
    static let structured = message([["type": "tool_use", "id": "toolu_01Person", "name": "person", "input": ["name": "Ada", "age": 36]]],
                                    stop: "tool_use")

    static func event(_ payload: JSONValue) -> String {
        "event: \(payload["type"]?.stringValue ?? "")\ndata: \(payload.serialized())\n\n"
    }

    static func stream(blocks: [(start: JSONValue, deltas: [JSONValue])], stop: String) -> [String] {
        var events = [event(["type": "message_start", "message": [
            "id": "msg_01Stream", "type": "message", "role": "assistant", "model": "claude-haiku-4-5-20251001", "content": [],
            "stop_reason": nil, "stop_sequence": nil, "usage": usage(output: 1)]])]
        for (index, block) in blocks.enumerated() {
            events.append(event(["type": "content_block_start", "index": .number(Double(index)), "content_block": block.start]))
            if index == 0 { events.append("event: ping\ndata: {\"type\": \"ping\"}\n\n") }
            events += block.deltas.map { event(["type": "content_block_delta", "index": .number(Double(index)), "delta": $0]) }
            events.append(event(["type": "content_block_stop", "index": .number(Double(index))]))
        }
        // Cumulative totals, repeating input_tokens as the API may.
        events.append(event(["type": "message_delta", "delta": ["stop_reason": .string(stop), "stop_sequence": nil],
                             "usage": ["input_tokens": 12, "output_tokens": 3]]))
        events.append(event(["type": "message_stop"]))
        return events
    }

    static let streamed = stream(blocks: [(["type": "text", "text": ""], [["type": "text_delta", "text": "Hel"], ["type": "text_delta", "text": "lo!"]])],
                                 stop: "end_turn")
    static let streamedTool = stream(blocks: [
        (["type": "tool_use", "id": "toolu_01Stream", "name": "get_weather", "input": [:]],
         [["type": "input_json_delta", "partial_json": ""], ["type": "input_json_delta", "partial_json": #"{"city": "Pa"#],
          ["type": "input_json_delta", "partial_json": #"ris"}"#]]),
    ], stop: "tool_use")

    static func error(_ status: Int, _ message: String) -> LoopbackHTTPServer.Response {
        let type = switch status {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 429: "rate_limit_error"
        case 529: "overloaded_error"
        case 500...: "api_error"
        default: "invalid_request_error"
        }
        let body: JSONValue = ["type": "error", "error": ["type": .string(type), "message": .string(message)], "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"]
        var answer = LoopbackHTTPServer.Response.json(body.serialized())
        answer.status = status
        return answer
    }
}
