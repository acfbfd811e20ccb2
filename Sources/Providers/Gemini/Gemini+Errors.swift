import Cassettes
import Foundation
import OrchJSON

extension GeminiClient {
    /// Reads google.rpc.Status `{"error": {"code": 429, "status": "RESOURCE_EXHAUSTED",
    /// "message": …, "details": [...]}}`: the wait from a `RetryInfo` detail's `retryDelay`
    /// (`"37s"`); a bad key, which Gemini answers with 400 `API_KEY_INVALID`, is
    /// `.unauthorized`; an exhausted daily quota (`quotaId` containing `PerDay`) is not
    /// retried, since a short wait does not cure it.
    /// Streaming calls have been seen answering an error wrapped in an array
    /// (`[{"error": …}]`, gemini-cli issue #6454); that form is read too.
    @Sendable static func readError(_ response: HTTPResponse) -> ErrorDetails {
        let body = try? JSONValue(parsing: response.body)
        let error = (body?.arrayValue?.first ?? body)?["error"]
        let details = error?["details"]?.arrayValue ?? []
        func detail(_ type: String) -> [JSONValue] {
            details.filter { $0["@type"]?.stringValue?.hasSuffix(type) == true }
        }
        let status = error?["status"]?.stringValue
        let message = error?["message"]?.stringValue.map { text in status.map { "\($0): \(text)" } ?? text }
        let wait = detail("google.rpc.RetryInfo").compactMap { $0["retryDelay"]?.stringValue.flatMap(RetryHints.goDuration) }.first
        let badKey = detail("google.rpc.ErrorInfo").contains { $0["reason"] == "API_KEY_INVALID" }
        let daily = detail("google.rpc.QuotaFailure").contains { failure in
            (failure["violations"]?.arrayValue ?? []).contains { $0["quotaId"]?.stringValue?.contains("PerDay") == true }
        }
        return ErrorDetails(message: message, code: badKey ? .unauthorized : nil, retryAfter: wait, retryable: daily ? false : nil)
    }

    /// An error object inside the stream (after the 200 status line).
    func streamError(_ error: JSONValue) -> ProviderError {
        let status = error["status"]?.stringValue ?? "error"
        let code: ProviderError.Code = switch error["code"]?.intValue ?? 500 {
        case 429: .rateLimited
        case 400: .badRequest
        case 401, 403: .unauthorized
        case 404: .notFound
        default: .server
        }
        return ProviderError(code, provider: provider, status: error["code"]?.intValue,
                             "the stream stopped with an error (\(status)): \(http.scrub(error["message"]?.stringValue ?? error.serialized()))")
    }
}
