import Cassettes
import Foundation
import OrchJSON

extension AnthropicClient {
    /// Reads `{"type": "error", "error": {"type": "overloaded_error", "message": …}}`. The wait
    /// comes from `retry-after` when sent (read by `ProviderHTTP`), else from the
    /// `anthropic-ratelimit-*-reset` headers (RFC 3339 times).
    @Sendable static func readError(_ response: HTTPResponse) -> ErrorDetails {
        let error = (try? JSONValue(parsing: response.body))?["error"]
        let type = error?["type"]?.stringValue
        let message = error?["message"]?.stringValue.map { text in type.map { "\($0): \(text)" } ?? text }
        let hint = response.headers["retry-after"] == nil ? resetWait(response.headers) : nil
        return ErrorDetails(message: message, retryAfter: hint)
    }

    /// The wait until the rate-limit window that ran out resets: the reset of a limit whose
    /// `remaining` is 0, else the latest reset named.
    static func resetWait(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        var waits: [(exhausted: Bool, wait: Duration)] = []
        for limit in ["requests", "tokens", "input-tokens", "output-tokens"] {
            guard let reset = headers["anthropic-ratelimit-\(limit)-reset"].flatMap({ RetryHints.untilRFC3339($0, now: now) }) else { continue }
            waits.append((headers["anthropic-ratelimit-\(limit)-remaining"]?.trimmingCharacters(in: .whitespaces) == "0", reset))
        }
        return waits.filter(\.exhausted).map(\.wait).max() ?? waits.map(\.wait).max()
    }

    /// An `error` event after the 200 status line (e.g. `overloaded_error`): it ends the
    /// answer, and is not retried, since deltas may already have been delivered.
    func streamError(_ error: JSONValue) -> ProviderError {
        let type = error["type"]?.stringValue ?? "error"
        let code: ProviderError.Code = switch type {
        case "rate_limit_error": .rateLimited
        case "authentication_error", "permission_error": .unauthorized
        case "invalid_request_error": .badRequest
        case "not_found_error": .notFound
        default: .server  // overloaded_error, api_error, timeout_error
        }
        let message = http.scrub(error["message"]?.stringValue ?? error.serialized())
        return ProviderError(code, provider: provider, status: type == "overloaded_error" ? 529 : nil,
                             "the stream stopped with an error event (\(type)): \(message)")
    }
}
