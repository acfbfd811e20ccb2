import Cassettes
import Foundation
import OrchJSON
import Providers
import Testing

/// Anthropic, Gemini and Ollama pass the shared conformance checks against a loopback server
/// speaking their documented wire formats; each client is built by `makeChatModel` from the
/// variables a user would set.
@Suite struct NativeConformanceTests {
    @Test(arguments: ConformanceCheck.allCases) func anthropic(_ check: ConformanceCheck) async throws {
        try await ChatModelConformance(NativeFixtures.anthropic).run(check)
    }

    @Test(arguments: ConformanceCheck.allCases) func gemini(_ check: ConformanceCheck) async throws {
        try await ChatModelConformance(NativeFixtures.gemini).run(check)
    }

    @Test(arguments: ConformanceCheck.allCases) func ollama(_ check: ConformanceCheck) async throws {
        try await ChatModelConformance(NativeFixtures.ollama).run(check)
    }
}

enum NativeFixtures {
    typealias Encoding = ConformanceFixture.Encoding
    static let weatherSchema = ConformanceRequests.weatherTool.inputSchema
    static let toolResultTurns = ConformanceRequests.toolResult

    static var anthropic: ConformanceFixture {
        let headers = ["x-api-key": FakeKey.anthropic, "anthropic-version": "2023-06-01", "content-type": "application/json"]
        let weather: JSONValue = ["name": "get_weather", "description": "Current weather", "input_schema": weatherSchema]
        let plain: [String: JSONValue] = ["model": "test-model", "max_tokens": 200, "system": "Be terse.",
                                          "messages": [["role": "user", "content": "Hello"]], "temperature": 0.2]
        var streamed = plain
        streamed["stream"] = true
        return ConformanceFixture(
            provider: "anthropic", credentialVariable: "ANTHROPIC_API_KEY", secret: FakeKey.anthropic,
            makeClient: OpenAIFamilyFixtures.client("anthropic", ["ANTHROPIC_API_KEY": FakeKey.anthropic, "ANTHROPIC_BASE_URL": "{server}"]),
            plainAnswer: AnthropicWire.plain, streamedAnswer: AnthropicWire.streamed, toolAnswer: AnthropicWire.tool,
            streamedToolAnswer: AnthropicWire.streamedTool, structuredAnswer: AnthropicWire.structured, errorAnswer: AnthropicWire.error,
            encodings: [
                Encoding(request: ConformanceRequests.plain, path: "/v1/messages", headers: headers, body: .object(plain)),
                Encoding(request: ConformanceRequests.plain, streamed: true, path: "/v1/messages", headers: headers, body: .object(streamed)),
                Encoding(request: ConformanceRequests.tools, path: "/v1/messages", headers: headers, body: [
                    "model": "test-model", "max_tokens": 4096, "messages": [["role": "user", "content": "Weather in Paris?"]],
                    "tools": [weather], "tool_choice": ["type": "tool", "name": "get_weather"]]),
                Encoding(request: ConformanceRequests.structured, path: "/v1/messages", headers: headers, body: [
                    "model": "test-model", "max_tokens": 4096, "messages": [["role": "user", "content": "Who wrote the first program?"]],
                    "tools": [["name": "person", "description": "Give the answer as this tool's input; it must follow the input schema.",
                               "input_schema": ConformanceRequests.personSchema]],
                    "tool_choice": ["type": "tool", "name": "person"]]),
                Encoding(request: toolResultTurns, path: "/v1/messages", headers: headers, body: [
                    "model": "test-model", "max_tokens": 4096, "tools": [weather], "tool_choice": ["type": "auto"],
                    "messages": [
                        ["role": "user", "content": "Weather in Paris?"],
                        ["role": "assistant", "content": [["type": "tool_use", "id": "call_1", "name": "get_weather", "input": ["city": "Paris"]]]],
                        ["role": "user", "content": [["type": "tool_result", "tool_use_id": "call_1", "content": #"{"temp_c":21}"#]]],
                    ]]),
            ])
    }

    static var gemini: ConformanceFixture {
        let headers = ["x-goog-api-key": FakeKey.google, "content-type": "application/json"]
        let declarations: JSONValue = [["functionDeclarations": [["name": "get_weather", "description": "Current weather", "parameters": [
            "type": "OBJECT", "properties": ["city": ["type": "STRING"]], "required": ["city"]]]]]]
        let plain: JSONValue = ["systemInstruction": ["parts": [["text": "Be terse."]]], "contents": [["role": "user", "parts": [["text": "Hello"]]]],
                                "generationConfig": ["temperature": 0.2, "maxOutputTokens": 200, "seed": 7]]
        let path = "/v1beta/models/test-model:generateContent"
        return ConformanceFixture(
            provider: "gemini", credentialVariable: "GOOGLE_API_KEY", secret: FakeKey.google,
            makeClient: OpenAIFamilyFixtures.client("gemini", ["GOOGLE_API_KEY": FakeKey.google, "GEMINI_BASE_URL": "{server}"]),
            plainAnswer: GeminiWire.plain, streamedAnswer: GeminiWire.streamed, toolAnswer: GeminiWire.tool,
            streamedToolAnswer: GeminiWire.streamedTool, structuredAnswer: GeminiWire.structured, errorAnswer: GeminiWire.error,
            unauthorizedStatus: 400,
            encodings: [
                Encoding(request: ConformanceRequests.plain, path: path, headers: headers, body: plain),
                Encoding(request: ConformanceRequests.plain, streamed: true, path: "/v1beta/models/test-model:streamGenerateContent",
                         query: ["alt": "sse"], headers: headers, body: plain),
                Encoding(request: ConformanceRequests.tools, path: path, headers: headers, body: [
                    "contents": [["role": "user", "parts": [["text": "Weather in Paris?"]]]], "tools": declarations,
                    "toolConfig": ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": ["get_weather"]]]]),
                Encoding(request: ConformanceRequests.structured, path: path, headers: headers, body: [
                    "contents": [["role": "user", "parts": [["text": "Who wrote the first program?"]]]],
                    "generationConfig": ["responseMimeType": "application/json", "responseSchema": [
                        "type": "OBJECT", "properties": ["name": ["type": "STRING"], "age": ["type": "INTEGER"]], "required": ["name", "age"]]]]),
                Encoding(request: toolResultTurns, path: path, headers: headers, body: [
                    "tools": declarations, "toolConfig": ["functionCallingConfig": ["mode": "AUTO"]],
                    "contents": [
                        ["role": "user", "parts": [["text": "Weather in Paris?"]]],
                        ["role": "model", "parts": [["functionCall": ["name": "get_weather", "args": ["city": "Paris"]]]]],
                        ["role": "user", "parts": [["functionResponse": ["name": "get_weather", "response": ["temp_c": 21]]]]],
                    ]]),
            ])
    }

    static var ollama: ConformanceFixture {
        let headers = ["content-type": "application/json", "authorization": "Bearer \(FakeKey.openAI)"]
        let weather: JSONValue = ["type": "function", "function": ["name": "get_weather", "description": "Current weather", "parameters": weatherSchema]]
        let plain: [String: JSONValue] = ["model": "test-model", "stream": false, "options": ["temperature": 0.2, "num_predict": 200, "seed": 7],
                                          "messages": [["role": "system", "content": "Be terse."], ["role": "user", "content": "Hello"]]]
        var streamed = plain
        streamed["stream"] = true
        return ConformanceFixture(
            provider: "ollama", credentialVariable: "OLLAMA_API_KEY", secret: FakeKey.openAI,
            makeClient: OpenAIFamilyFixtures.client("ollama", ["OLLAMA_API_URL": "{server}", "OLLAMA_API_KEY": FakeKey.openAI]),
            plainAnswer: OllamaWire.plain, streamedAnswer: OllamaWire.streamed, toolAnswer: OllamaWire.tool,
            streamedToolAnswer: OllamaWire.streamedTool, structuredAnswer: OllamaWire.structured,
            streamContentType: "application/x-ndjson", errorAnswer: OllamaWire.error,
            encodings: [
                Encoding(request: ConformanceRequests.plain, path: "/api/chat", headers: headers, body: .object(plain)),
                Encoding(request: ConformanceRequests.plain, streamed: true, path: "/api/chat", headers: headers, body: .object(streamed)),
                Encoding(request: ConformanceRequests.tools, path: "/api/chat", headers: headers, body: [
                    "model": "test-model", "stream": false, "messages": [["role": "user", "content": "Weather in Paris?"]], "tools": [weather]]),
                Encoding(request: ConformanceRequests.structured, path: "/api/chat", headers: headers, body: [
                    "model": "test-model", "stream": false, "messages": [["role": "user", "content": "Who wrote the first program?"]],
                    "format": ConformanceRequests.personSchema]),
                Encoding(request: toolResultTurns, path: "/api/chat", headers: headers, body: [
                    "model": "test-model", "stream": false, "tools": [weather],
                    "messages": [
                        ["role": "user", "content": "Weather in Paris?"],
                        ["role": "assistant", "content": "", "tool_calls": [["function": ["name": "get_weather", "arguments": ["city": "Paris"]]]]],
                        ["role": "tool", "content": #"{"temp_c":21}"#, "tool_call_id": "call_1", "tool_name": "get_weather"],
                    ]]),
            ])
    }
}
