import Foundation
import OrchJSON

/// What is replaced by `Redaction.placeholder` before a request or response is stored or
/// matched. The live caller always gets the real, unredacted response.
public struct Redaction: Sendable {
    public static let placeholder = "REDACTED"

    /// Header names (any case) whose values are credentials.
    public var headers: Set<String>
    /// Query parameter names (any case) whose values are credentials.
    public var queryParameters: Set<String>
    /// JSON body paths (`a.b`, `items.*.token`) to replace, in requests and responses.
    public var bodyPaths: [JSONPath]
    /// Object member names replaced wherever they appear in a JSON body.
    public var bodyKeys: Set<String>

    public init(headers: Set<String> = Redaction.defaultHeaders,
                queryParameters: Set<String> = Redaction.defaultQueryParameters,
                bodyPaths: [JSONPath] = [], bodyKeys: Set<String> = Redaction.defaultBodyKeys) {
        self.headers = Set(headers.map { $0.lowercased() })
        self.queryParameters = Set(queryParameters.map { $0.lowercased() })
        self.bodyPaths = bodyPaths
        self.bodyKeys = bodyKeys
    }

    public static let defaultHeaders: Set<String> = [
        "authorization", "proxy-authorization", "api-key", "x-api-key", "x-goog-api-key",
        "ocp-apim-subscription-key", "cookie", "set-cookie", "x-auth-token", "x-amz-security-token",
    ]
    public static let defaultQueryParameters: Set<String> = [
        "key", "api-key", "api_key", "apikey", "sig", "signature", "code", "token", "access_token",
        "client_secret", "password", "x-amz-signature", "x-goog-signature",
    ]
    public static let defaultBodyKeys: Set<String> = [
        "api_key", "apiKey", "client_secret", "password", "access_token", "refresh_token", "private_key",
    ]

    public func redact(headers: HTTPHeaders) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in headers { out[name] = self.headers.contains(name) ? Self.placeholder : value }
        return out
    }

    /// The URL normalized (see `URLNormalizer`) with credential query values replaced.
    public func redact(url: URL) -> String {
        URLNormalizer.normalize(url) { name, value in
            queryParameters.contains(name.lowercased()) ? Self.placeholder : value
        }
    }

    public func redact(json: JSONValue) -> JSONValue {
        var value = bodyKeys.isEmpty ? json : redactKeys(json)
        for path in bodyPaths {
            value = value.updating(path) { _ in .string(Self.placeholder) }
        }
        return value
    }

    private func redactKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var out = members
            for (key, member) in members {
                out[key] = bodyKeys.contains(key) && member.stringValue != nil ? .string(Self.placeholder) : redactKeys(member)
            }
            return .object(out)
        case .array(let elements): return .array(elements.map(redactKeys))
        default: return value
        }
    }
}

/// One spelling per URL: scheme and host lowercased, default port dropped, query parameters
/// sorted (so their order never matters), percent-encoding kept as sent.
public enum URLNormalizer {
    public static func normalize(_ url: URL, value transform: (String, String) -> String = { $1 }) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.absoluteString }
        components.scheme = components.scheme?.lowercased()
        components.host = components.host?.lowercased()
        if (components.scheme == "http" && components.port == 80) || (components.scheme == "https" && components.port == 443) {
            components.port = nil
        }
        if let items = components.percentEncodedQueryItems, !items.isEmpty {
            components.percentEncodedQueryItems = items
                .map { item in
                    let name = item.name.removingPercentEncoding ?? item.name
                    return URLQueryItem(name: item.name, value: item.value.map { transform(name, $0) })
                }
                .sorted { ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "") }
        } else if components.percentEncodedQuery == "" {
            components.percentEncodedQuery = nil
        }
        components.fragment = nil
        return components.string ?? url.absoluteString
    }
}
