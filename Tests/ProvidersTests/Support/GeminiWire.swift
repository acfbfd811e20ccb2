import CassetteTesting
import Foundation
import OrchJSON

/// Answers in the Gemini API's wire format (wire-formats.md §4), with the content
/// `ConformanceFixture` expects.
enum GeminiWire {
    static func usage(prompt: Int = 12, candidates: Int = 3) -> JSONValue {
        ["promptTokenCount": .number(Double(prompt)), "candidatesTokenCount": .number(Double(candidates)),
         "totalTokenCount": .number(Double(prompt + candidates)), "promptTokensDetails": [["modality": "TEXT", "tokenCount": .number(Double(prompt))]]]
    }

    static func response(_ parts: JSONValue, finish: String? = "STOP", usage: JSONValue = usage()) -> JSONValue {
        var candidate: [String: JSONValue] = ["content": ["parts": parts, "role": "model"], "index": 0]
        if let finish { candidate["finishReason"] = .string(finish) }
        return ["candidates": [.object(candidate)], "usageMetadata": usage, "modelVersion": "gemini-2.5-flash", "responseId": "WhmlabShCNjv-8YPl_D1gAo"]
    }

    static let call: JSONValue = ["functionCall": ["name": "get_weather", "args": ["city": "Paris"]], "thoughtSignature": "CpYCAXLI2nz"]
    static let plain = LoopbackHTTPServer.Response.json(response([["text": "Hello!"]]).serialized())
    static let tool = LoopbackHTTPServer.Response.json(response([call]).serialized())
    static let structured = LoopbackHTTPServer.Response.json(response([["text": #"{"name": "Ada", "age": 36}"#]]).serialized())

    /// `data:` events only, running usage, the last chunk with finishReason, no sentinel.
    static let streamed = [
        "data: \(response([["text": "Hel"]], finish: nil, usage: usage(candidates: 1)).serialized())\r\n\r\n",
        "data: \(response([["text": "lo"]], finish: nil, usage: usage(candidates: 2)).serialized())\r\n\r\n",
        "data: \(response([["text": "!"]], usage: usage()).serialized())\r\n\r\n",
    ]
    static let streamedTool = ["data: \(response([call]).serialized())\n\n"]

    /// google.rpc.Status bodies; a bad key is HTTP 400 with reason API_KEY_INVALID.
    static func error(_ status: Int, _ message: String) -> LoopbackHTTPServer.Response {
        let name = switch status {
        case 400: "INVALID_ARGUMENT"
        case 403: "PERMISSION_DENIED"
        case 404: "NOT_FOUND"
        case 429: "RESOURCE_EXHAUSTED"
        case 503: "UNAVAILABLE"
        default: "INTERNAL"
        }
        var details: [JSONValue] = []
        if message.hasPrefix("invalid key") {
            details.append(["@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com"])
        }
        if status == 429 { details.append(["@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"]) }
        let body: JSONValue = ["error": ["code": .number(Double(status)), "message": .string(message), "status": .string(name), "details": .array(details)]]
        var answer = LoopbackHTTPServer.Response.json(body.serialized())
        answer.status = status
        return answer
    }
}
