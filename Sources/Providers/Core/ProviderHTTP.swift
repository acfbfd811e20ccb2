import Cassettes
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What a provider's error body says, read by the provider's own `ProviderHTTP.readError`.
public struct ErrorDetails: Sendable, Equatable {
    /// The provider's message (quoted in ours).
    public var message: String?
    /// Overrides the class the status implies (e.g. a 400 that is a content-filter refusal).
    public var code: ProviderError.Code?
    /// A wait the body asks for (Gemini's `RetryInfo.retryDelay`); headers are read anyway.
    public var retryAfter: Duration?
    /// Overrides whether the status is retried (e.g. OpenAI's `insufficient_quota` 429 is not).
    public var retryable: Bool?

    public init(message: String? = nil, code: ProviderError.Code? = nil, retryAfter: Duration? = nil, retryable: Bool? = nil) {
        self.message = message
        self.code = code
        self.retryAfter = retryAfter
        self.retryable = retryable
    }
}

/// The HTTP half every client shares: sends through the injected transport, retries 408, 409,
/// 429 and 5xx answers (honouring retry hints), turns failures into `ProviderError`s whose
/// messages say what to do, and measures latency with the injected clock.
public struct ProviderHTTP: Sendable {
    public var provider: String
    public var transport: any HTTPTransport
    public var retry: RetryPolicy
    public var clock: ProviderClock
    /// The variable to set when the provider refuses the credentials (401/403).
    public var credentialVariable: String
    /// Where the model or deployment name comes from, for 404 messages ("--model or PLANNER_MODEL").
    public var modelSource: String
    /// Values that must never appear in a message (the key, the token).
    public var secrets: [String]
    /// Reads the provider's error body.
    public var readError: @Sendable (HTTPResponse) -> ErrorDetails
    /// Seconds without progress after which a request fails as `.timeout`, unless the request sets its own.
    public var timeout: Double?

    public init(provider: String, transport: any HTTPTransport, retry: RetryPolicy = .standard, clock: ProviderClock = .system,
                credentialVariable: String, modelSource: String = "--model", secrets: [String] = [], timeout: Double? = nil,
                readError: @escaping @Sendable (HTTPResponse) -> ErrorDetails) {
        self.provider = provider
        self.timeout = timeout
        self.transport = transport
        self.retry = retry
        self.clock = clock
        self.credentialVariable = credentialVariable
        self.modelSource = modelSource
        self.secrets = secrets
        self.readError = readError
    }

    /// Sends `request`, retrying as the policy allows; returns a 2xx response and its latency.
    /// `model` is named when the provider answers 404.
    public func send(_ request: HTTPRequest, model: String) async throws(ProviderError) -> (HTTPResponse, Latency) {
        let start = clock.now()
        let response = try await retrying(model: model) { () async throws -> Attempt<HTTPResponse> in
            let response = try await transport.send(withTimeout(request))
            return (200..<300).contains(response.status) ? .answer(response) : .failed(response)
        }
        return (response, Latency(totalMilliseconds: clock.now() - start))
    }

    /// Opens a streamed request, retrying failures that arrive before the body does. The
    /// returned stream measures first-byte and total latency from this call.
    public func stream(_ request: HTTPRequest, model: String) async throws(ProviderError) -> ProviderStream {
        let start = clock.now()
        let response = try await retrying(model: model) { () async throws -> Attempt<HTTPStreamingResponse> in
            let response = try await transport.stream(withTimeout(request))
            return (200..<300).contains(response.status) ? .answer(response) : .failed(try await response.collect())
        }
        return ProviderStream(http: self, response: response, start: start)
    }

    private func withTimeout(_ request: HTTPRequest) -> HTTPRequest {
        var request = request
        if request.timeout == nil { request.timeout = timeout }
        return request
    }

    /// One try: a 2xx answer, or the complete non-2xx response (for its error body and hints).
    private enum Attempt<Answer> {
        case answer(Answer)
        case failed(HTTPResponse)
    }

    /// Runs `attempt` until it answers, the policy allows no more retries, or the failure is
    /// not worth retrying.
    private func retrying<Answer>(model: String, _ attempt: () async throws -> Attempt<Answer>) async throws(ProviderError) -> Answer {
        var number = 1
        while true {
            let outcome: Attempt<Answer>
            do { outcome = try await attempt() } catch { throw transportError(error) }
            switch outcome {
            case .answer(let answer): return answer
            case .failed(let response): try await handleFailure(response, attempt: &number, model: model)
            }
        }
    }

    /// Throws the error for `response`, or waits and returns when it may be retried.
    private func handleFailure(_ response: HTTPResponse, attempt: inout Int, model: String) async throws(ProviderError) {
        let failure = error(for: response, model: model, attempts: attempt)
        guard attempt <= retry.retries, isRetryable(response, details: readError(response)) else { throw failure }
        do {
            try await retry.sleep(retry.delay(after: attempt, hint: failure.retryAfter))
        } catch {
            throw ProviderError(.cancelled, provider: provider, "cancelled while waiting to retry")
        }
        if Task.isCancelled { throw ProviderError(.cancelled, provider: provider, "cancelled") }
        attempt += 1
    }

    private func isRetryable(_ response: HTTPResponse, details: ErrorDetails) -> Bool {
        if let retryable = details.retryable { return retryable }
        switch response.headers["x-should-retry"]?.lowercased() {
        case "true": return true
        case "false": return false
        default: return [408, 409, 429].contains(response.status) || response.status >= 500
        }
    }

    /// The `ProviderError` a non-2xx `response` stands for.
    public func error(for response: HTTPResponse, model: String, attempts: Int = 1) -> ProviderError {
        let details = readError(response)
        let quoted = scrub(details.message ?? ProviderError.clip(String(decoding: response.body, as: UTF8.self)))
        let said = quoted.isEmpty ? "no message" : "“\(quoted)”"
        let hint = details.retryAfter ?? RetryHints.fromHeaders(response.headers)
        let tries = attempts > 1 ? " after \(attempts) attempts" : ""
        let status = response.status
        let code: ProviderError.Code = details.code ?? {
            switch status {
            case 401, 403: .unauthorized
            case 404: .notFound
            case 408: .timeout
            case 429: .rateLimited
            case 500...: .server
            default: .badRequest
            }
        }()
        let message: String = switch code {
        case .unauthorized: "refused the credentials: \(said). Set \(credentialVariable) to a valid key (it is not printed here)."
        case .notFound: "has no model or deployment named '\(model)' here: \(said). Check \(modelSource)."
        case .rateLimited: "rate limited\(tries): \(said)" + (hint.map { "; the provider asks to wait \(Self.describe($0))" } ?? "")
        case .server: "server error\(tries): \(said)"
        case .contentFiltered: "a content filter refused the request: \(said)"
        case .timeout: "timed out\(tries): \(said)"
        default: "rejected the request: \(said)"
        }
        return ProviderError(code, provider: provider, status: status, message, retryAfter: hint)
    }

    /// The `ProviderError` for a transport failure (no response, or a body cut off).
    public func transportError(_ error: any Error, streaming: Bool = false) -> ProviderError {
        if let error = error as? ProviderError { return error }
        if error is CancellationError { return ProviderError(.cancelled, provider: provider, "cancelled") }
        if let error = error as? URLError {
            switch error.code {
            case .cancelled: return ProviderError(.cancelled, provider: provider, "cancelled")
            case .timedOut: return ProviderError(.timeout, provider: provider, "timed out waiting for the answer")
            default: break
            }
        }
        let text = scrub("\(error)")
        return streaming
            ? ProviderError(.streamBroken, provider: provider, "the stream broke off mid-way: \(text)")
            : ProviderError(.transport, provider: provider, "could not reach the provider: \(text)")
    }

    /// `text` with every secret replaced by "[redacted]", and key-shaped tokens masked.
    public func scrub(_ text: String) -> String {
        var out = text
        for secret in secrets where secret.count >= 4 { out = out.replacingOccurrences(of: secret, with: "[redacted]") }
        out = out.replacingOccurrences(of: #"(sk-[A-Za-z0-9_\-*]{4,}|AIza[A-Za-z0-9_\-]{10,}|eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_.\-]+)"#,
                                       with: "[redacted]", options: .regularExpression)
        return Redaction().redact(message: out)
    }

    static func describe(_ duration: Duration) -> String {
        let ms = duration.inMilliseconds
        return ms < 1000 ? "\(Int(ms)) ms" : String(format: "%.1f s", ms / 1000)
    }
}
