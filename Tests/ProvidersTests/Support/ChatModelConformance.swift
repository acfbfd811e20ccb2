import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
import Providers
import Synchronization
import Testing

/// A provider's wire format, as the shared conformance checks need it: how to build the client
/// against a loopback server, the provider's canned answers, and what its requests must look like.
///
/// Every answer carries the same content, so one set of expectations fits every provider:
/// text "Hello!" (usage 12 in / 3 out where the provider reports it); a call of `get_weather`
/// with `{"city": "Paris"}`; the structured answer `{"name": "Ada", "age": 36}`.
struct ConformanceFixture: Sendable {
    /// The client's provider name.
    var provider: String
    /// The variable a 401 message must name; `secret` must never appear in any message.
    var credentialVariable: String
    var secret: String
    /// The model the client is built with (named by a 404 message).
    var model = "test-model"
    /// Builds the client under test, pointed at `baseURL`.
    var makeClient: @Sendable (_ baseURL: URL, _ options: ClientOptions) throws -> any ChatModel
    var plainAnswer: LoopbackHTTPServer.Response
    /// Streamed answers as the pieces the server sends (one event or line each).
    var streamedAnswer: [String]
    var toolAnswer: LoopbackHTTPServer.Response
    var streamedToolAnswer: [String]
    var structuredAnswer: LoopbackHTTPServer.Response
    var streamContentType = "text/event-stream"
    /// The provider's error body for `status` with `message`.
    var errorAnswer: @Sendable (_ status: Int, _ message: String) -> LoopbackHTTPServer.Response
    /// The status the provider uses for a bad key (Gemini: 400).
    var unauthorizedStatus = 401
    var usage: TokenUsage? = TokenUsage(inputTokens: 12, outputTokens: 3)
    var streamedUsage: TokenUsage? = TokenUsage(inputTokens: 12, outputTokens: 3)
    /// Requests and what must arrive on the wire for each.
    var encodings: [Encoding]

    struct Encoding: Sendable {
        var request: ChatRequest
        var streamed = false
        var method = "POST"
        var path: String
        /// Query items that must be present.
        var query: [String: String] = [:]
        /// Headers that must be present with these values (names lowercase).
        var headers: [String: String] = [:]
        /// The exact JSON body.
        var body: JSONValue
    }
}

/// The requests the fixtures encode.
enum ConformanceRequests {
    static let weatherTool = ToolDefinition(name: "get_weather", description: "Current weather", inputSchema: [
        "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"],
    ])
    static let personSchema: JSONValue = [
        "type": "object", "properties": ["name": ["type": "string"], "age": ["type": "integer"]], "required": ["name", "age"],
    ]
    static let plain = ChatRequest(system: "Be terse.", messages: [.user("Hello")], temperature: 0.2, maxOutputTokens: 200, seed: 7)
    static let tools = ChatRequest(messages: [.user("Weather in Paris?")], tools: [weatherTool], toolChoice: .tool("get_weather"))
    static let structured = ChatRequest(messages: [.user("Who wrote the first program?")],
                                        responseFormat: ResponseFormat(name: "person", schema: personSchema))
    /// A conversation that went through a tool call and its result.
    static let toolResult = ChatRequest(messages: [
        .user("Weather in Paris?"),
        ChatMessage(role: .assistant, content: "", toolCalls: [ToolCall(id: "call_1", name: "get_weather", arguments: ["city": "Paris"])]),
        .toolResult(#"{"temp_c":21}"#, for: "call_1"),
    ], tools: [weatherTool])
}

/// The checks every `ChatModel` passes, each against a fresh loopback server.
enum ConformanceCheck: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case encoding, plainAnswer, streamedAnswer, toolCall, streamedToolCall, structuredAnswer
    case unauthorized, notFound, badRequest, retriedToSuccess, rateLimitedAfterRetries
    case malformedBody, streamBrokenMidWay, cancellation

    var testDescription: String { rawValue }
}

struct ChatModelConformance {
    let fixture: ConformanceFixture

    init(_ fixture: ConformanceFixture) { self.fixture = fixture }

    func run(_ check: ConformanceCheck) async throws {
        switch check {
        case .encoding: try await encoding()
        case .plainAnswer:
            let response = try await complete(fixture.plainAnswer, ConformanceRequests.plain)
            #expect(response.text == "Hello!")
            #expect(response.finishReason == .stop)
            #expect(response.usage == fixture.usage)
            #expect(response.provider == fixture.provider)
            #expect(!response.model.isEmpty)
        case .streamedAnswer:
            let (response, deltas) = try await stream(.stream(fixture.streamedAnswer, contentType: fixture.streamContentType), ConformanceRequests.plain)
            #expect(response.text == "Hello!")
            #expect(deltas.count >= 2, "the text should arrive in pieces")
            #expect(deltas.joined() == "Hello!")
            #expect(response.usage == fixture.streamedUsage)
            #expect(response.finishReason == .stop)
            #expect(response.latency.firstByteMilliseconds != nil)
        case .toolCall:
            let response = try await complete(fixture.toolAnswer, ConformanceRequests.tools)
            #expect(response.toolCalls.map(\.name) == ["get_weather"])
            #expect(response.toolCalls.first?.arguments == ["city": "Paris"])
        case .streamedToolCall:
            let (response, _) = try await stream(.stream(fixture.streamedToolAnswer, contentType: fixture.streamContentType), ConformanceRequests.tools)
            #expect(response.toolCalls.map(\.name) == ["get_weather"])
            #expect(response.toolCalls.first?.arguments == ["city": "Paris"])
            #expect(response.toolCalls.first?.id.isEmpty == false)
        case .structuredAnswer:
            let response = try await complete(fixture.structuredAnswer, ConformanceRequests.structured)
            #expect(response.json == ["name": "Ada", "age": 36])
        case .unauthorized:
            let error = try await failure(fixture.errorAnswer(fixture.unauthorizedStatus, "invalid key \(fixture.secret)"))
            #expect(error.code == .unauthorized)
            #expect(error.message.contains(fixture.credentialVariable))
            #expect(!error.description.contains(fixture.secret))
        case .notFound:
            let error = try await failure(fixture.errorAnswer(404, "no such thing"))
            #expect(error.code == .notFound)
            #expect(error.message.contains(fixture.model))
        case .badRequest:
            let error = try await failure(fixture.errorAnswer(400, "temperature is out of range"))
            #expect(error.code == .badRequest)
            #expect(error.message.contains("temperature is out of range"))
        case .retriedToSuccess:
            let (server, count) = try sequence([fixture.errorAnswer(429, "slow down"), fixture.errorAnswer(500, "oops"),
                                                fixture.errorAnswer(500, "oops"), fixture.plainAnswer])
            defer { server.stop() }
            let response = try await fixture.makeClient(server.baseURL, options()).complete(ConformanceRequests.plain)
            #expect(response.text == "Hello!")
            #expect(count() == 4)
        case .rateLimitedAfterRetries:
            let (server, count) = try sequence(Array(repeating: fixture.errorAnswer(429, "slow down"), count: 5))
            defer { server.stop() }
            let error = await #expect(throws: ProviderError.self) {
                try await fixture.makeClient(server.baseURL, options()).complete(ConformanceRequests.plain)
            }
            #expect(error?.code == .rateLimited)
            #expect(count() == 4, "the first attempt and 3 retries")
        case .malformedBody:
            let error = try await failure(.json(#"{"unexpected": "shape of things"}"#, status: 200))
            #expect(error.code == .malformedResponse)
            #expect(error.message.contains("shape of things"))
        case .streamBrokenMidWay:
            let cut = LoopbackHTTPServer.Response.stream(fixture.streamedAnswer, contentType: fixture.streamContentType, cutAfter: 2)
            let error = await #expect(throws: ProviderError.self) { _ = try await stream(cut, ConformanceRequests.plain) }
            #expect(error?.code == .streamBroken)
        case .cancellation:
            var answer = fixture.plainAnswer
            answer.pause = .seconds(3)
            let slow = answer
            let server = try LoopbackHTTPServer { _ in slow }
            defer { server.stop() }
            let client = try fixture.makeClient(server.baseURL, options())
            let task = Task { try await client.complete(ConformanceRequests.plain) }
            task.cancel()
            let error = await #expect(throws: ProviderError.self) { try await task.value }
            #expect(error?.code == .cancelled)
        }
    }

    private func options() -> ClientOptions { ClientOptions(retry: InstantRetry().policy, clock: steppingClock) }

    private func encoding() async throws {
        for expected in fixture.encodings {
            let answer = expected.streamed ? .stream(fixture.streamedAnswer, contentType: fixture.streamContentType) : fixture.plainAnswer
            let server = try LoopbackHTTPServer { _ in answer }
            defer { server.stop() }
            let client = try fixture.makeClient(server.baseURL, options())
            if expected.streamed {
                _ = try await client.stream(expected.request).finalResponse()
            } else {
                _ = try await client.complete(expected.request)
            }
            let sent = try #require(server.received.first)
            #expect(sent.method == expected.method)
            #expect(sent.path == expected.path)
            for (name, value) in expected.query { #expect(sent.query[name] == value, "query item \(name)") }
            for (name, value) in expected.headers { #expect(sent.headers[name] == value, "header \(name)") }
            let body = try JSONValue(parsing: sent.body)
            #expect(body == expected.body, "body sent:\n\(body.serialized(.pretty))\nexpected:\n\(expected.body.serialized(.pretty))")
        }
    }

    private func complete(_ answer: LoopbackHTTPServer.Response, _ request: ChatRequest) async throws -> ChatResponse {
        let server = try LoopbackHTTPServer { _ in answer }
        defer { server.stop() }
        return try await fixture.makeClient(server.baseURL, options()).complete(request)
    }

    private func stream(_ answer: LoopbackHTTPServer.Response, _ request: ChatRequest) async throws -> (ChatResponse, [String]) {
        let server = try LoopbackHTTPServer { _ in answer }
        defer { server.stop() }
        var deltas: [String] = []
        let response = try await fixture.makeClient(server.baseURL, options()).stream(request).finalResponse { deltas.append($0) }
        return (response, deltas)
    }

    private func failure(_ answer: LoopbackHTTPServer.Response) async throws -> ProviderError {
        do {
            let response = try await complete(answer, ConformanceRequests.plain)
            Issue.record("expected an error, got \(response)")
            return ProviderError(.transport, provider: fixture.provider, "no error")
        } catch let error as ProviderError {
            return error
        }
    }

    /// A server answering `answers` in turn (the last one repeats); `count` reads how many it served.
    private func sequence(_ answers: [LoopbackHTTPServer.Response]) throws -> (LoopbackHTTPServer, () -> Int) {
        let served = Mutex(0)
        let server = try LoopbackHTTPServer { _ in
            answers[min(served.withLock { n in defer { n += 1 }; return n }, answers.count - 1)]
        }
        return (server, { server.requestCount })
    }
}
