import CassetteTesting
import Foundation
import OrchJSON

/// Answers in Ollama's native `/api/chat` wire format (wire-formats.md §5), with the content
/// `ConformanceFixture` expects.
enum OllamaWire {
    static let metrics: [String: JSONValue] = [
        "done": true, "done_reason": "stop", "total_duration": 5_191_566_416, "load_duration": 2_154_458,
        "prompt_eval_count": 12, "prompt_eval_duration": 383_809_000, "eval_count": 3, "eval_duration": 4_799_921_000,
    ]

    static func whole(_ message: JSONValue) -> JSONValue {
        .object(["model": "test-model", "created_at": "2023-12-12T14:13:43.416799Z", "message": message].merging(metrics) { a, _ in a })
    }

    static let plain = LoopbackHTTPServer.Response.json(whole(["role": "assistant", "content": "Hello!"]).serialized())
    static let call: JSONValue = ["role": "assistant", "content": "",
                                  "tool_calls": [["id": "call_xyz", "function": ["index": 0, "name": "get_weather", "arguments": ["city": "Paris"]]]]]
    static let tool = LoopbackHTTPServer.Response.json(whole(call).serialized())
    static let structured = LoopbackHTTPServer.Response.json(whole(["role": "assistant", "content": #"{"name": "Ada", "age": 36}"#]).serialized())

    static func partial(_ message: JSONValue) -> String {
        JSONValue.object(["model": "test-model", "created_at": "2023-08-04T08:52:19.385406455-07:00", "message": message, "done": false]).serialized() + "\n"
    }

    static let streamed = [partial(["role": "assistant", "content": "Hel"]), partial(["role": "assistant", "content": "lo!"]),
                           whole(["role": "assistant", "content": ""]).serialized() + "\n"]
    static let streamedTool = [partial(call), whole(["role": "assistant", "content": ""]).serialized() + "\n"]

    static func error(_ status: Int, _ message: String) -> LoopbackHTTPServer.Response {
        var answer = LoopbackHTTPServer.Response.json(JSONValue.object(["error": .string(message)]).serialized())
        answer.status = status
        return answer
    }
}
