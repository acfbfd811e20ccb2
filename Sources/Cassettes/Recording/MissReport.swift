import Foundation
import OrchJSON

/// Explains a miss: the request, the closest recorded interaction and what differs, field by
/// field. Everything printed is in redacted form and passes through the secret mask.
struct MissReport {
    let file: String
    let request: RecordedRequest
    let rules: MatchingRules
    let scanner: SecretScanner

    func neverRecorded(candidates: [RecordedRequest], refusal: String?) -> CassetteError {
        var lines = ["cassette \(file) has no recorded interaction for \(summary(request)) (never recorded)."]
        if let (index, diff) = closest(in: candidates) {
            lines.append("Closest recorded interaction: #\(index) \(summary(candidates[index])); it differs in:")
            lines += diff.prefix(12).map { "  - " + $0 }
            if diff.count > 12 { lines.append("  … and \(diff.count - 12) more") }
        } else {
            lines.append(FileManager.default.fileExists(atPath: file)
                ? "The cassette holds no interactions."
                : "The cassette file \(file) does not exist: check its path, or that it was committed.")
        }
        if let refusal { lines.append("Not recording it: " + refusal + ".") }
        lines.append("To record it: run with \(RecordMode.environmentVariable)=missing (or \(RecordMode.environmentVariable)=all to re-record the whole cassette).")
        return CassetteError(.miss(alreadyUsed: false), file: file, lines.joined(separator: "\n"))
    }

    func alreadyUsed(count: Int, refusal: String?) -> CassetteError {
        var lines = [
            "cassette \(file) recorded \(summary(request)) \(count) time(s), and all of them were already served to earlier identical requests (already used, not a mismatch).",
        ]
        if let refusal { lines.append("Not recording it: " + refusal + ".") }
        lines.append("Record the extra call with \(RecordMode.environmentVariable)=missing, or set MatchingRules.allowRepeats to serve the last one again.")
        return CassetteError(.miss(alreadyUsed: true), file: file, lines.joined(separator: "\n"))
    }

    private func summary(_ r: RecordedRequest) -> String {
        "\(r.method) \(scanner.mask(r.url)) (body \(r.body.shortDigest))"
    }

    /// The recorded request with the fewest differences, and those differences.
    private func closest(in candidates: [RecordedRequest]) -> (Int, [String])? {
        var best: (Int, [String], Int)?
        for (i, candidate) in candidates.enumerated() {
            let diff = differences(candidate)
            // A different method or host weighs most, then each differing path segment, then any other field.
            let score = diff.reduce(pathDistance(request.url, candidate.url) * 20) {
                $0 + ($1.hasPrefix("method") || $1.hasPrefix("host") ? 100 : $1.hasPrefix("path") ? 0 : 1)
            }
            if best.map({ score < $0.2 }) ?? true { best = (i, diff, score) }
        }
        return best.map { ($0.0, $0.1) }
    }

    private func pathDistance(_ a: String, _ b: String) -> Int {
        let x = (URLComponents(string: a)?.path ?? a).split(separator: "/"), y = (URLComponents(string: b)?.path ?? b).split(separator: "/")
        return zip(x, y).filter { $0 != $1 }.count + abs(x.count - y.count)
    }

    private func differences(_ recorded: RecordedRequest) -> [String] {
        var out: [String] = []
        let a = RequestKey(request, rules: rules), b = RequestKey(recorded, rules: rules)
        if a.method != b.method { out.append("method: request \(a.method), recorded \(b.method)") }
        let ua = URLComponents(string: a.url), ub = URLComponents(string: b.url)
        let originA = "\(ua?.scheme ?? "")://\(ua?.host ?? "")\(ua?.port.map { ":\($0)" } ?? "")"
        let originB = "\(ub?.scheme ?? "")://\(ub?.host ?? "")\(ub?.port.map { ":\($0)" } ?? "")"
        if originA != originB { out.append("host: request \(scanner.mask(originA)), recorded \(scanner.mask(originB))") }
        if ua?.percentEncodedPath != ub?.percentEncodedPath {
            out.append("path: request \(scanner.mask(ua?.percentEncodedPath ?? "?")), recorded \(scanner.mask(ub?.percentEncodedPath ?? "?"))")
        }
        out += compare(pairs(ua?.percentEncodedQueryItems), pairs(ub?.percentEncodedQueryItems), label: "query")
        out += compare(a.headers, b.headers, label: "header")
        switch (a.body, b.body) {
        case (.json(let x), .json(let y)): out += jsonDiff(x, y, path: "body", key: nil)
        case let (x, y) where x != y:
            out.append("body: request \(kind(x)) \(x.shortDigest), recorded \(kind(y)) \(y.shortDigest)")
        default: break
        }
        return out
    }

    private func pairs(_ items: [URLQueryItem]?) -> [String: String] {
        var out: [String: String] = [:]
        for item in items ?? [] { out[item.name] = (out[item.name].map { $0 + "," } ?? "") + (item.value ?? "") }
        return out
    }

    private func compare(_ a: [String: String], _ b: [String: String], label: String) -> [String] {
        Set(a.keys).union(b.keys).sorted().compactMap { name in
            switch (a[name], b[name]) {
            case let (x?, y?) where x != y: "\(label) \(name): request \(show(x)), recorded \(show(y))"
            case (let x?, nil): "\(label) \(name): request \(show(x)), not recorded"
            case (nil, let y?): "\(label) \(name): missing in request, recorded \(show(y))"
            default: nil
            }
        }
    }

    /// `key` is the member name `a` and `b` sit under, which tells whether a value is a key.
    private func jsonDiff(_ a: JSONValue, _ b: JSONValue, path: String, key: String?) -> [String] {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            return Set(x.keys).union(y.keys).sorted().flatMap { name -> [String] in
                let at = path + "." + name
                switch (x[name], y[name]) {
                case let (u?, v?): return jsonDiff(u, v, path: at, key: name)
                case (let u?, nil): return ["\(at): request \(show(u, key: name)), not recorded"]
                case (nil, let v?): return ["\(at): missing in request, recorded \(show(v, key: name))"]
                default: return []
                }
            }
        case (.array(let x), .array(let y)) where x.count == y.count:
            return zip(x, y).enumerated().flatMap { jsonDiff($1.0, $1.1, path: "\(path).\($0)", key: key) }
        case (.array(let x), .array(let y)):
            return ["\(path): request has \(x.count) elements, recorded \(y.count)"]
        default:
            return a == b ? [] : ["\(path): request \(show(a, key: key)), recorded \(show(b, key: key))"]
        }
    }

    private func kind(_ body: StoredBody) -> String {
        switch body {
        case .empty: "empty"
        case .json: "JSON"
        case .text: "text"
        case .bytes, .blob: "binary"
        }
    }

    private func show(_ value: JSONValue, key: String?) -> String { show(scanner.mask(value, key: key).serialized()) }

    private func show(_ text: String) -> String {
        let masked = scanner.mask(text)
        return masked.count > 60 ? String(masked.prefix(57)) + "…" : masked
    }
}
