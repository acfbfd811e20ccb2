import Cassettes
import CassetteTesting
import Foundation
import OrchJSON
import Providers
import Synchronization
import Testing

/// Azure AI Vision Read 3.2 against a loopback server speaking its documented protocol:
/// 202 + Operation-Location, then polls until `succeeded` or `failed`.
@Suite struct AzureReadClientTests {
    static let operationID = "e0b2b8c4-6c8b-4b1e-9d8e-4c2a0a5f7d21"

    static let succeeded: JSONValue = [
        "status": "succeeded", "createdDateTime": "2026-12-02T14:32:04.236Z", "lastUpdatedDateTime": "2026-12-02T14:32:05.852Z",
        "analyzeResult": ["version": "v3.2", "modelVersion": "2022-04-30", "readResults": [[
            "page": 1, "angle": 0.2, "width": 600, "height": 400, "unit": "pixel", "lines": [
                ["boundingBox": [20, 10, 300, 10, 300, 40, 20, 40], "appearance": ["style": ["name": "other", "confidence": 0.99]],
                 "text": "MILK 2% 2.49", "words": [["text": "MILK", "confidence": 0.99], ["text": "2%", "confidence": 0.9], ["text": "2.49", "confidence": 0.95]]],
                ["boundingBox": [20, 50, 300, 50, 300, 80, 20, 80], "text": "TOTAL 2.49",
                 "words": [["text": "TOTAL", "confidence": 0.98], ["text": "2.49", "confidence": 0.96]]],
            ]]]],
    ]

    /// A Read service: the submission answers 202, then each poll answers the next of `polls`
    /// (the last repeats). `headers` go on every poll answer.
    static func service(polls: [JSONValue], pollHeaders: [String: String] = [:], submission: LoopbackHTTPServer.Response? = nil) throws -> LoopbackHTTPServer {
        let served = Mutex(0)
        return try LoopbackHTTPServer { request in
            if request.method == "POST" {
                if let submission { return submission }
                let host = request.headers["host"] ?? "127.0.0.1"
                return LoopbackHTTPServer.Response(status: 202, headers: [
                    "Operation-Location": "http://\(host)/vision/v3.2/read/analyzeResults/\(operationID)", "apim-request-id": "5b2c61ab",
                ])
            }
            let index = served.withLock { count in defer { count += 1 }; return count }
            return .json(polls[min(index, polls.count - 1)].serialized(), headers: pollHeaders)
        }
    }

    func client(_ server: LoopbackHTTPServer, waits: InstantRetry = InstantRetry(), maximumPolls: Int = 30) -> AzureReadClient {
        AzureReadClient(endpoint: server.baseURL, key: FakeKey.azure, transport: URLSessionTransport(),
                        polling: .init(maximumPolls: maximumPolls, sleep: waits.policy.sleep),
                        options: ClientOptions(retry: InstantRetry().policy, clock: steppingClock))
    }

    @Test func submitsPollsAndReturnsLinesWithConfidence() async throws {
        let server = try Self.service(polls: [["status": "notStarted"], ["status": "running"], Self.succeeded])
        defer { server.stop() }
        let waits = InstantRetry()
        let image = Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3])
        let result = try await client(server, waits: waits).read(image)
        #expect(result.text == "MILK 2% 2.49\nTOTAL 2.49")
        let first: Double = (0.99 + 0.9 + 0.95) / 3, second: Double = (0.98 + 0.96) / 2
        let all: Double = (0.99 + 0.9 + 0.95 + 0.98 + 0.96) / 5
        #expect(result.lines.map(\.confidence) == [first, second])
        #expect(result.confidence == all)
        #expect(result.modelVersion == "2022-04-30")
        let (submit, poll) = (server.received[0], server.received[1])
        #expect(submit.method == "POST" && submit.path == "/vision/v3.2/read/analyze")
        #expect(submit.headers["ocp-apim-subscription-key"] == FakeKey.azure)
        #expect(submit.headers["content-type"] == "application/octet-stream")
        #expect(submit.body == image)
        #expect(poll.method == "GET" && poll.path == "/vision/v3.2/read/analyzeResults/\(Self.operationID)")
        #expect(poll.headers["ocp-apim-subscription-key"] == FakeKey.azure)
        #expect(server.requestCount == 4)
        #expect(waits.waits == [.seconds(1), .seconds(1), .seconds(1)])
    }

    @Test func retryAfterOnTheAcceptedSubmissionSetsTheFirstWait() async throws {
        let server = try LoopbackHTTPServer { request in
            if request.method == "POST" {
                return LoopbackHTTPServer.Response(status: 202, headers: [
                    "Operation-Location": "http://\(request.headers["host"] ?? "")/vision/v3.2/read/analyzeResults/\(Self.operationID)", "Retry-After": "2",
                ])
            }
            return .json(Self.succeeded.serialized())
        }
        defer { server.stop() }
        let waits = InstantRetry()
        _ = try await client(server, waits: waits).read(Data([1]))
        #expect(waits.waits == [.seconds(2)])
    }

    @Test func retryAfterOnAPollSetsTheNextWait() async throws {
        let server = try Self.service(polls: [["status": "running"], Self.succeeded], pollHeaders: ["Retry-After": "3"])
        defer { server.stop() }
        let waits = InstantRetry()
        _ = try await client(server, waits: waits).read(Data([1]))
        #expect(waits.waits == [.seconds(1), .seconds(3)])
    }

    @Test func aFailedOperationIsAnError() async throws {
        let server = try Self.service(polls: [["status": "running"], ["status": "failed", "analyzeResult": nil]])
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server).read(Data([1])) }
        #expect(error?.code == .server)
        #expect(error?.message.contains("failed after 2 poll(s)") == true)
    }

    @Test func anOperationThatNeverFinishesTimesOut() async throws {
        let server = try Self.service(polls: [["status": "running"]])
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server, maximumPolls: 4).read(Data([1])) }
        #expect(error?.code == .timeout)
        #expect(server.requestCount == 5)
    }

    @Test func aRejectedKeyNamesTheVariableAndNotTheKey() async throws {
        let body = #"{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}"#
        let server = try Self.service(polls: [], submission: .json(body, status: 401))
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server).read(Data([1])) }
        #expect(error?.code == .unauthorized)
        #expect(error?.message.contains("AZURE_CV_KEY") == true)
        #expect(error?.description.contains(FakeKey.azure) == false)
    }

    @Test func aBadImageQuotesTheServiceMessage() async throws {
        let body = #"{"error":{"code":"InvalidImageFormat","message":"Input data is not a valid image."}}"#
        let server = try Self.service(polls: [], submission: .json(body, status: 400))
        defer { server.stop() }
        let error = await #expect(throws: ProviderError.self) { try await client(server).read(Data([1])) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("InvalidImageFormat: Input data is not a valid image.") == true)
    }

    @Test func theEnvironmentNamesWhatIsMissing() {
        #expect { try AzureReadClient.fromEnvironment(ProviderEnvironment(["AZURE_CV_KEY": "k"]), transport: NoNetwork()) } throws: {
            ($0 as? ProviderError)?.code == .configuration && ($0 as? ProviderError)?.message.contains("AZURE_CV_ENDPOINT") == true
        }
        #expect { try AzureReadClient.fromEnvironment(ProviderEnvironment(["AZURE_CV_ENDPOINT": "https://x.cognitiveservices.azure.com"]), transport: NoNetwork()) } throws: {
            ($0 as? ProviderError)?.message.contains("AZURE_CV_KEY") == true
        }
    }
}
