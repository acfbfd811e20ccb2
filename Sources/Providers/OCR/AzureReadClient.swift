import Cassettes
import Foundation
import OrchJSON

/// Azure AI Vision Read 3.2 (wire-formats.md §8a): submits an image, then polls the
/// operation named by `Operation-Location` until it succeeds or fails.
///
/// ```swift
/// let ocr = try AzureReadClient.fromEnvironment(environment, transport: URLSessionTransport())
/// let result = try await ocr.read(imageData)
/// print(result.text, result.confidence ?? 0)
/// ```
///
/// Both calls send `Ocp-Apim-Subscription-Key`. Submission and polls go through
/// `ProviderHTTP`, so a 429 or 5xx is retried honouring `Retry-After`; before each poll the
/// client waits what the previous answer's `Retry-After` asked (the 202's for the first
/// poll; else `polling.interval`), at most `polling.maximumPolls` times, then gives up with
/// `.timeout`.
public struct AzureReadClient: Sendable {
    /// The name errors and ledgers use.
    public static let provider = "azure-vision"

    /// How patiently the client polls; tests inject a `sleep` that returns at once.
    public struct Polling: Sendable {
        public var maximumPolls: Int
        /// The wait between polls when the answer names none.
        public var interval: Duration
        /// A longer `Retry-After` on a poll answer is cut to this.
        public var maximumInterval: Duration
        public var sleep: @Sendable (Duration) async throws -> Void

        public init(maximumPolls: Int = 30, interval: Duration = .seconds(1), maximumInterval: Duration = .seconds(10),
                    sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
            self.maximumPolls = max(1, maximumPolls)
            self.interval = interval
            self.maximumInterval = maximumInterval
            self.sleep = sleep
        }
    }

    public var endpoint: URL
    public var polling: Polling
    /// `language` query parameter (e.g. "en"); nil lets the service detect it.
    public var language: String?
    let key: String
    let http: ProviderHTTP

    public init(endpoint: URL, key: String, transport: any HTTPTransport, polling: Polling = Polling(),
                language: String? = nil, options: ClientOptions = ClientOptions()) {
        self.endpoint = endpoint
        self.key = key
        self.polling = polling
        self.language = language
        self.http = ProviderHTTP(provider: Self.provider, transport: transport, options: options, credentialVariable: "AZURE_CV_KEY",
                                 modelSource: "AZURE_CV_ENDPOINT", secrets: [key], readError: Self.readError)
    }

    /// A client for `AZURE_CV_ENDPOINT` (e.g. `https://NAME.cognitiveservices.azure.com`) and
    /// `AZURE_CV_KEY`; a missing or malformed one is a `.configuration` error naming it.
    public static func fromEnvironment(_ environment: ProviderEnvironment, transport: any HTTPTransport,
                                       polling: Polling = Polling()) throws(ProviderError) -> AzureReadClient {
        let endpoint = try environment.url("AZURE_CV_ENDPOINT", for: provider)
        let key = try environment.require("AZURE_CV_KEY", for: provider)
        return AzureReadClient(endpoint: endpoint, key: key, transport: transport, polling: polling)
    }

    /// Reads the text of `image` (PNG, JPEG, PDF, … bytes).
    public func read(_ image: Data) async throws(ProviderError) -> AzureReadResult {
        let (accepted, _) = try await http.send(submission(image), model: "vision/v3.2/read")
        guard let location = accepted.headers["operation-location"], let operation = URL(string: location) else {
            throw ProviderError(.malformedResponse, provider: Self.provider, status: accepted.status,
                                "the Read submission was accepted without an Operation-Location header to poll")
        }
        // The 202 may say when to look first (Azure's long-running-operation pattern).
        var wait = min(RetryHints.fromHeaders(accepted.headers) ?? polling.interval, polling.maximumInterval)
        for poll in 1...polling.maximumPolls {
            do { try await polling.sleep(wait) } catch {
                throw ProviderError(.cancelled, provider: Self.provider, "cancelled while waiting for the Read operation")
            }
            let (answer, _) = try await http.send(HTTPRequest(method: "GET", url: operation, headers: ["ocp-apim-subscription-key": key]),
                                                  model: "vision/v3.2/read")
            guard let json = try? JSONValue(parsing: answer.body), let status = json["status"]?.stringValue else {
                throw ProviderError.malformed(Self.provider, "a Read operation answer has a status", body: answer.body, status: answer.status)
            }
            switch status.lowercased() {
            case "succeeded":
                guard let result = json["analyzeResult"].flatMap(AzureReadResult.init(analyzeResult:)) else {
                    throw ProviderError.malformed(Self.provider, expected: "a succeeded operation has analyzeResult.readResults[].lines[]", got: json)
                }
                return result
            case "failed":
                let reason = json["error"]?["message"]?.stringValue ?? json["analyzeResult"]?["error"]?["message"]?.stringValue
                throw ProviderError(.server, provider: Self.provider, status: answer.status,
                                    "the Read operation failed after \(poll) poll(s)" + (reason.map { ": \($0)" } ?? "; the service gave no reason") + ". Check that the file is a readable image.")
            default:  // notStarted, running
                wait = min(RetryHints.fromHeaders(answer.headers) ?? polling.interval, polling.maximumInterval)
            }
        }
        throw ProviderError(.timeout, provider: Self.provider,
                            "the Read operation was still running after \(polling.maximumPolls) polls; try again, or raise the poll limit")
    }

    func submission(_ image: Data) -> HTTPRequest {
        var text = endpoint.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += "/vision/v3.2/read/analyze"
        if let language, let value = language.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { text += "?language=\(value)" }
        return HTTPRequest(method: "POST", url: URL(string: text) ?? endpoint,
                           headers: ["ocp-apim-subscription-key": key, "content-type": "application/octet-stream"], body: image)
    }

    /// Reads `{"error": {"code": "InvalidImageFormat", "message": …}}`.
    @Sendable static func readError(_ response: HTTPResponse) -> ErrorDetails {
        let error = (try? JSONValue(parsing: response.body))?["error"]
        let code = error?["code"]?.stringValue
        return ErrorDetails(message: error?["message"]?.stringValue.map { text in code.map { "\($0): \(text)" } ?? text })
    }
}
