import Foundation
import OrchJSON

/// Looks through a JSON document for anything that still looks like a credential: OpenAI,
/// Anthropic and Google API keys, Azure keys (32 hex digits) in key-named fields or URL query
/// parameters, bearer tokens, HTTP Basic credentials, JWTs and PEM private keys. The last line of defence before a cassette is written.
public struct SecretScanner: Sendable {
    /// Something that looks like a secret, and where it is.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        /// JSON path in the cassette, e.g. `interactions.0.request.headers.authorization`.
        public var path: String
        /// What it looks like, e.g. "an OpenAI API key".
        public var kind: String
        public var description: String { "\(path): \(kind)" }
    }

    private struct Pattern: @unchecked Sendable {  // NSRegularExpression is immutable and thread-safe
        let kind: String
        /// A cheap substring test before the regular expression runs.
        let marker: String
        let regex: NSRegularExpression
    }

    private let patterns: [Pattern]
    private let keyFieldHex: NSRegularExpression?
    private let basicAuth: NSRegularExpression?

    public init() {
        // Patterns are assembled from pieces so that this file does not itself look like it holds a key.
        let specs: [(String, String, String)] = [
            ("an Anthropic API key", "sk-ant-", "(?<![A-Za-z0-9_\\-])sk-" + "ant-[A-Za-z0-9_\\-]{20,}"),
            ("an OpenAI API key", "sk-", "(?<![A-Za-z0-9_\\-])sk-" + "(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\\-]{20,}"),
            ("a Google API key", "AIza", "AI" + "za[0-9A-Za-z_\\-]{35}"),
            ("a bearer token", "earer", "[Bb]earer\\s+[A-Za-z0-9._~+/\\-]{16,}=*"),
            ("a JWT", "eyJ", "ey" + "J[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}"),
            ("a private key", "PRIVATE KEY", "-----BEGIN (?:[A-Z]+ )?" + "PRIVATE KEY-----"),
        ]
        patterns = specs.compactMap { kind, marker, source in
            (try? NSRegularExpression(pattern: source)).map { Pattern(kind: kind, marker: marker, regex: $0) }
        }
        keyFieldHex = try? NSRegularExpression(pattern: "^[0-9a-fA-F]{32}$")
        basicAuth = try? NSRegularExpression(pattern: "[Bb]asic\\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])")
    }

    /// Every string in `document` that looks like a secret, with its path. Bytes are looked
    /// into too: `base64` and `data_base64` members decoded, and the side files in `sideFiles`
    /// (SHA-256 hex → bytes) where the document refers to them.
    public func scan(_ document: JSONValue, sideFiles: [String: Data] = [:]) -> [Finding] {
        var findings: [Finding] = []
        walk(document, path: "", key: nil, sideFiles: sideFiles, into: &findings)
        return findings
    }

    /// What some bytes (a multipart upload, an image) hold that looks like a secret, or nil.
    public func classify(bytes: Data) -> String? {
        classify(String(decoding: bytes, as: UTF8.self)).map { $0 + " (inside binary data)" }
    }

    /// What a string looks like, or nil when it looks harmless. `key` is the member name it
    /// sits under; the parameters of a URL's query count as members named after them.
    public func classify(_ text: String, key: String? = nil) -> String? {
        if let key, isAzureStyle(text, key: key) {
            return "an Azure-style key (32 hex digits in a field named \"\(key)\")"
        }
        for pattern in patterns where text.contains(pattern.marker) && matches(pattern.regex, text) {
            return pattern.kind
        }
        if !basicCredentials(in: text).isEmpty { return "HTTP Basic credentials" }
        if let name = queryParameters(of: text).first(where: { isAzureStyle($0.value, key: $0.name) })?.name {
            return "an Azure-style key (32 hex digits in the query parameter \"\(name)\")"
        }
        return nil
    }

    /// `text` with every secret-looking part replaced by the redaction placeholder, for messages.
    public func mask(_ text: String) -> String {
        var out = text
        for pattern in patterns where out.contains(pattern.marker) {
            let range = NSRange(out.startIndex..., in: out)
            out = pattern.regex.stringByReplacingMatches(in: out, range: range, withTemplate: Redaction.placeholder)
        }
        for range in basicCredentials(in: out).reversed() {
            if let credentials = Range(range, in: out) { out.replaceSubrange(credentials, with: Redaction.placeholder) }
        }
        for parameter in queryParameters(of: out) where isAzureStyle(parameter.value, key: parameter.name) {
            out = out.replacingOccurrences(of: parameter.value, with: Redaction.placeholder)
        }
        if let regex = keyFieldHex, matches(regex, out) { return Redaction.placeholder }
        return out
    }

    /// `value` with every string that looks like a secret (member names counted) replaced by
    /// the placeholder, for showing JSON in messages.
    public func mask(_ value: JSONValue, key: String? = nil) -> JSONValue {
        switch value {
        case .string(let s): return classify(s, key: key) == nil ? value : .string(Redaction.placeholder)
        case .array(let elements): return .array(elements.map { mask($0, key: key) })
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (name, member) in members { out[classify(name) == nil ? name : Redaction.placeholder] = mask(member, key: name) }
            return .object(out)
        default: return value
        }
    }

    /// The bytes a cassette string stands for, when it stands for bytes: base64 bodies and
    /// chunks, side-file names and `blob:sha256:` references.
    private func classifyReferencedBytes(_ s: String, key: String?, sideFiles: [String: Data]) -> String? {
        if key == "base64" || key == "data_base64" { return Data(base64Encoded: s).flatMap { classify(bytes: $0) } }
        let hex = key == "file" ? s : s.hasPrefix("blob:sha256:") ? String(s.dropFirst(12)) : nil
        return hex.flatMap { sideFiles[$0] }.flatMap { classify(bytes: $0) }
    }

    private func isAzureStyle(_ text: String, key: String) -> Bool {
        guard isKeyField(key), let regex = keyFieldHex else { return false }
        return matches(regex, text)
    }

    /// `Basic <base64 of user:password>`: the ranges of the base64 parts. Plain prose such as
    /// "Basic information" does not decode to a `user:password` pair.
    private func basicCredentials(in text: String) -> [NSRange] {
        guard text.contains("asic"), let regex = basicAuth else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            let range = match.range(at: 1)
            guard let slice = Range(range, in: text), let decoded = Data(base64Encoded: String(text[slice])),
                  let pair = String(data: decoded, encoding: .utf8), pair.contains(":") else { return nil }
            return range
        }
    }

    /// The query parameters (percent-encoded, as written) of `text` when it is a URL with a query.
    private func queryParameters(of text: String) -> [(name: String, value: String)] {
        guard text.contains("?"), text.contains("="), text.contains("://"), let components = URLComponents(string: text) else { return [] }
        return (components.percentEncodedQueryItems ?? []).compactMap { item in
            item.value.map { (item.name.removingPercentEncoding ?? item.name, $0) }
        }
    }

    private func isKeyField(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.contains("key") || lower.contains("secret") || lower.contains("token") || lower.contains("password")
    }

    private func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    private func walk(_ value: JSONValue, path: String, key: String?, sideFiles: [String: Data], into findings: inout [Finding]) {
        switch value {
        case .string(let s):
            if let kind = classify(s, key: key) ?? classifyReferencedBytes(s, key: key, sideFiles: sideFiles) {
                findings.append(Finding(path: path, kind: kind))
            }
        case .array(let elements):
            for (i, element) in elements.enumerated() {
                walk(element, path: path.isEmpty ? "\(i)" : "\(path).\(i)", key: key, sideFiles: sideFiles, into: &findings)
            }
        case .object(let members):
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                if let kind = classify(name) { findings.append(Finding(path: childPath, kind: kind + " (as a member name)")) }
                walk(member, path: childPath, key: name, sideFiles: sideFiles, into: &findings)
            }
        default:
            break
        }
    }
}
