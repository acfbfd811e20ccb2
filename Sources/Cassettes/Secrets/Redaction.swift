import Foundation
import OrchJSON

/// What is replaced by `Redaction.placeholder` before a request or response is stored or
/// matched. The live caller always gets the real, unredacted response.
public struct Redaction: Sendable {
    public static let placeholder = "REDACTED"

    /// Header names (any case) whose values are credentials.
    public var headers: Set<String>
    /// Words that make any header a credential when its name holds one of them between `-`
    /// or `_` (`X-Functions-Key`, `X-Session-Token`), so unlisted vendor headers are covered too.
    public var headerNameWords: Set<String>
    /// Query parameter names (any case) whose values are credentials.
    public var queryParameters: Set<String>
    /// JSON body paths (`a.b`, `items.*.token`) to replace, in requests and responses.
    public var bodyPaths: [JSONPath]
    /// Object member names replaced wherever they appear in a JSON body, in any case and with
    /// or without `-` and `_` (`api_key`, `API-KEY` and `apiKey` are one name). Kept in the
    /// form `memberName(_:)` gives.
    public var bodyKeys: Set<String>

    public init(headers: Set<String> = Redaction.defaultHeaders,
                headerNameWords: Set<String> = Redaction.defaultHeaderNameWords,
                queryParameters: Set<String> = Redaction.defaultQueryParameters,
                bodyPaths: [JSONPath] = [], bodyKeys: Set<String> = Redaction.defaultBodyKeys) {
        self.headers = Set(headers.map { $0.lowercased() })
        self.headerNameWords = Set(headerNameWords.map { $0.lowercased() })
        self.queryParameters = Set(queryParameters.map { $0.lowercased() })
        self.bodyPaths = bodyPaths
        self.bodyKeys = Set(bodyKeys.map(Self.memberName))
    }

    /// One spelling per member name: lower case, without `-` and `_`.
    public static func memberName(_ name: String) -> String {
        // Most member names are already in this form; replay redacts every request, so skip the copy.
        if name.utf8.allSatisfy({ !(0x41...0x5A).contains($0) && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "_") }) { return name }
        return String(name.lowercased().filter { $0 != "-" && $0 != "_" })
    }

    public static let defaultHeaders: Set<String> = [
        "authorization", "proxy-authorization", "api-key", "x-api-key", "x-goog-api-key",
        "ocp-apim-subscription-key", "cookie", "set-cookie", "x-auth-token", "x-amz-security-token",
    ]
    public static let defaultHeaderNameWords: Set<String> = [
        "key", "apikey", "token", "secret", "password", "passwd", "signature", "credential", "credentials", "authorization", "cookie",
    ]
    public static let defaultQueryParameters: Set<String> = [
        "key", "api-key", "api_key", "apikey", "x-api-key", "subscription-key", "sig", "signature", "code", "token",
        "access_token", "client_secret", "password", "x-amz-signature", "x-goog-signature",
    ]
    public static let defaultBodyKeys: Set<String> = [
        "api_key", "apiKey", "client_secret", "password", "access_token", "refresh_token", "private_key",
    ]

    public func redact(headers: HTTPHeaders) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in headers { out[name] = isCredential(header: name) ? Self.placeholder : value }
        return out
    }

    /// Whether the header `name` (lowercased) holds a credential: listed, or named with a credential word.
    func isCredential(header name: String) -> Bool {
        self.headers.contains(name) || name.split(whereSeparator: { $0 == "-" || $0 == "_" }).contains { headerNameWords.contains(String($0)) }
    }

    /// `text` (an error message) with every URL in it redacted as `redact(url:)` does.
    public func redact(message text: String) -> String {
        guard text.contains("://"), let regex = Self.urlPattern else { return text }
        var out = text
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            guard var range = Range(match.range, in: out) else { continue }
            // Punctuation closing a sentence or a list is not part of the URL.
            while range.lowerBound < range.upperBound, ",.;:)".contains(out[out.index(before: range.upperBound)]) {
                range = range.lowerBound..<out.index(before: range.upperBound)
            }
            guard let url = URL(string: String(out[range])) else { continue }
            out.replaceSubrange(range, with: redact(url: url))
        }
        return out
    }

    private static let urlPattern = try? NSRegularExpression(pattern: "[A-Za-z][A-Za-z0-9+.\\-]*://[^\\s\"'<>{}]+")

    /// A form body (`a=1&b=2`, as `application/x-www-form-urlencoded` sends it) with the values
    /// of credential parameters (the query parameter names) replaced. Other text is returned as is.
    public func redact(text: String) -> String {
        guard text.contains("="), !text.contains(where: \.isWhitespace) else { return text }
        return text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = String(pair[..<equals])
            let decoded = name.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? name
            return queryParameters.contains(decoded.lowercased()) ? name + "=" + Self.placeholder : String(pair)
        }.joined(separator: "&")
    }

    /// The URL normalized (see `URLNormalizer`) with credential query values and its user info
    /// (`https://TOKEN@host`, `https://user:password@host`) replaced.
    public func redact(url: URL) -> String {
        var url = url
        if var components = URLComponents(url: url, resolvingAgainstBaseURL: false), components.user != nil || components.password != nil {
            components.user = components.user.map { _ in Self.placeholder }
            components.password = components.password.map { _ in Self.placeholder }
            url = components.url ?? url
        }
        return URLNormalizer.normalize(url) { name, value in
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
                out[key] = bodyKeys.contains(Self.memberName(key)) && member.stringValue != nil ? .string(Self.placeholder) : redactKeys(member)
            }
            return .object(out)
        case .array(let elements): return .array(elements.map(redactKeys))
        default: return value
        }
    }
}

/// One spelling per URL: scheme and host lowercased, default port dropped, an empty path
/// written `/`, percent-encoding in its RFC 3986 normal form (upper-case hex digits, unreserved
/// characters such as `~` not encoded), query parameters sorted by name (so their order never
/// matters; the values of a repeated one keep their order, a list's), fragment dropped. Reserved characters stay as sent: `a%2Fb` is not `a/b`.
public enum URLNormalizer {
    public static func normalize(_ url: URL, value transform: (String, String) -> String = { $1 }) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.absoluteString }
        components.scheme = components.scheme?.lowercased()
        components.host = components.host?.lowercased()
        if (components.scheme == "http" && components.port == 80) || (components.scheme == "https" && components.port == 443) {
            components.port = nil
        }
        // Both spellings send `GET / HTTP/1.1`.
        components.percentEncodedPath = components.percentEncodedPath.isEmpty && components.host != nil
            ? "/" : normalizePercentEncoding(components.percentEncodedPath)
        if let items = components.percentEncodedQueryItems, !items.isEmpty {
            components.percentEncodedQueryItems = items
                .enumerated()
                .map { index, item in
                    let name = normalizePercentEncoding(item.name)
                    let value = item.value.map(normalizePercentEncoding)
                    return (index, URLQueryItem(name: name, value: value.map { transform(name.removingPercentEncoding ?? name, $0) }))
                }
                .sorted { ($0.1.name, $0.0) < ($1.1.name, $1.0) }
                .map(\.1)
        } else if components.percentEncodedQuery == "" {
            components.percentEncodedQuery = nil
        }
        components.fragment = nil
        return components.string ?? url.absoluteString
    }

    /// `%7e` → `~`, `%2f` → `%2F`: unreserved characters decoded, hex digits upper-cased.
    static func normalizePercentEncoding(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
                let byte = high << 4 | low
                if isUnreserved(byte) {
                    out.append(byte)
                } else {
                    out += [UInt8(ascii: "%"), upperHex(high), upperHex(low)]
                }
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func upperHex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
