import Foundation
import OrchJSON

/// The identity of a request for matching: its stored (redacted, normalized) form with the
/// ignored headers and body paths left out. JSON bodies compare as values, so key order and
/// whitespace never matter.
struct RequestKey: Hashable, Sendable {
    var method: String
    var url: String
    var headers: [String: String]
    var body: StoredBody

    init(_ request: RecordedRequest, rules: MatchingRules) {
        method = request.method
        url = request.url
        headers = rules.ignoredHeaders.isEmpty ? request.headers : request.headers.filter { !rules.ignoredHeaders.contains($0.key) }
        if case .json(var value) = request.body, !rules.ignoredBodyPaths.isEmpty {
            for path in rules.ignoredBodyPaths { value = value.removing(path.segments[...]) }
            body = .json(value)
        } else {
            body = request.body
        }
    }
}

extension RecordedRequest {
    /// A short, stable digest of the stored request, used in messages and usage logs.
    public var digest: String {
        var text = method + " " + url + "\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += name + ": " + value + "\n" }
        text += body.canonicalText
        return String(SHA256.hex(text).prefix(16))
    }
}

extension StoredBody {
    /// One text per body value: compact sorted JSON, the text itself, or a hash of the bytes.
    var canonicalText: String {
        switch self {
        case .empty: ""
        case .json(let value): value.serialized()
        case .text(let text): text
        case .bytes(let data): "sha256:" + SHA256.hex(data)
        case .blob(let hex, _): "sha256:" + hex
        }
    }

    var shortDigest: String { self == .empty ? "empty" : String(SHA256.hex(canonicalText).prefix(12)) }
}

extension JSONValue {
    /// A copy without the member or element at `path`; `*` stands for every array element.
    func removing(_ path: ArraySlice<String>) -> JSONValue {
        guard let first = path.first else { return self }
        let rest = path.dropFirst()
        switch self {
        case .object(var members):
            if rest.isEmpty { members[first] = nil; return .object(members) }
            guard let child = members[first] else { return self }
            members[first] = child.removing(rest)
            return .object(members)
        case .array(var elements):
            if first == "*" { return .array(elements.map { $0.removing(rest) }) }
            guard let i = Int(first), elements.indices.contains(i) else { return self }
            if rest.isEmpty { elements.remove(at: i) } else { elements[i] = elements[i].removing(rest) }
            return .array(elements)
        default:
            return self
        }
    }
}
