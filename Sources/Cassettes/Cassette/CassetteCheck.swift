import Foundation
import OrchJSON

/// Consistency checks over a stored cassette, for `orch-eval cassettes verify`.
public enum CassetteCheck {
    /// Problems with `cassette` (read from `file`): anything that looks like a secret, side
    /// files that are missing or altered, request URLs not in normal form (hand-written ones),
    /// and interactions that are exact duplicates.
    public static func problems(in cassette: Cassette, file: URL, scanner: SecretScanner = SecretScanner()) -> [String] {
        var problems: [String] = []
        let blobs = BlobStore(nextTo: file)
        var sideFiles: [String: Data] = [:]
        var seen = Set<String>()
        for interaction in cassette.interactions {
            for hex in interaction.request.body.blobReferences + interaction.response.body.blobReferences where seen.insert(hex).inserted {
                do { sideFiles[hex] = try blobs.read(hex) } catch { problems.append("\(error)") }
            }
        }
        for finding in scanner.scan(cassette.jsonValue(), sideFiles: sideFiles) {
            problems.append("\(file.path): \(finding.path) looks like \(finding.kind); redact it and re-record")
        }
        // Replay normalizes the request's URL only, so a hand-written one must already be normal.
        for (i, interaction) in cassette.interactions.enumerated() {
            guard let url = URL(string: interaction.request.url) else {
                problems.append("\(file.path): interactions.\(i).request.url is not a URL")
                continue
            }
            let normal = URLNormalizer.normalize(url)
            if normal != interaction.request.url {
                problems.append("\(file.path): interactions.\(i).request.url is not in normal form, so no request can match it; write \(scanner.mask(normal))")
            }
        }
        var firstIndex: [Interaction: Int] = [:]
        for (i, interaction) in cassette.interactions.enumerated() {
            if let first = firstIndex[interaction] {
                problems.append("\(file.path): interactions \(first) and \(i) are identical (same request and response); keep one, or use MatchingRules.allowRepeats")
            } else {
                firstIndex[interaction] = i
            }
        }
        return problems
    }
}

extension Interaction: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(request.method)
        hasher.combine(request.url)
        hasher.combine(request.body)
        hasher.combine(response.status)
    }
}

extension StoredBody {
    /// The side files this body refers to (SHA-256 hex names).
    public var blobReferences: [String] {
        switch self {
        case .blob(let hex, _): return [hex]
        case .json(let value): return Self.references(in: value)
        default: return []
        }
    }

    private static func references(in value: JSONValue) -> [String] {
        switch value {
        case .string(let s) where s.hasPrefix(BodyCodec.blobPrefix): [String(s.dropFirst(BodyCodec.blobPrefix.count))]
        case .array(let elements): elements.flatMap(references)
        case .object(let members): members.values.flatMap(references)
        default: []
        }
    }
}
