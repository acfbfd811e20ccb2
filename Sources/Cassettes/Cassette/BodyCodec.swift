import Foundation
import OrchJSON

/// Turns wire bodies into their stored form and back. The same function makes the stored
/// form of a request being recorded and of a request being looked up, so both sides of a
/// match always agree.
public struct BodyCodec: Sendable {
    /// Binary bodies and strings inside JSON bodies at least this long go to side files.
    public var blobThreshold: Int

    public init(blobThreshold: Int = 16 * 1024) {
        self.blobThreshold = blobThreshold
    }

    static let blobPrefix = "blob:sha256:"

    /// The stored form of `data`, plus the side files it refers to (by SHA-256 hex).
    /// `transformJSON` runs on a JSON body before large strings are moved out, `transformText`
    /// on a UTF-8 text body (redaction). With `exactNumbers` (for bodies that are replayed, not
    /// only matched), a JSON body holding an integer of 16 digits or more is kept as text.
    public func store(_ data: Data, exactNumbers: Bool = false, transformJSON: (JSONValue) -> JSONValue = { $0 },
                      transformText: (String) -> String = { $0 }) -> (StoredBody, blobs: [String: Data]) {
        if data.isEmpty { return (.empty, [:]) }
        if looksLikeJSON(data), let value = try? JSONValue(parsing: data) {
            let transformed = transformJSON(value)
            // Numbers are doubles, and an integer beyond 2^53 does not print back as it came (an
            // id would replay as 1.2345678901234568e+18): keep such a body as its text, byte for
            // byte, unless redaction had to change it.
            if exactNumbers, transformed == value, Self.holdsLargeInteger(value), let text = String(validating: data, as: UTF8.self) {
                return (.text(text), [:])
            }
            var blobs: [String: Data] = [:]
            let stored = externalize(transformed, into: &blobs)
            return (.json(stored), blobs)
        }
        if let text = String(validating: data, as: UTF8.self), !text.utf8.contains(0) {
            return (.text(transformText(text)), [:])
        }
        if data.count >= blobThreshold {
            let hex = SHA256.hex(data)
            return (.blob(sha256: hex, size: data.count), [hex: data])
        }
        return (.bytes(data), [:])
    }

    /// The wire bytes of a stored body, reading side files from `blobs`.
    public func load(_ body: StoredBody, blobs: BlobStore) throws -> Data {
        switch body {
        case .empty: return Data()
        case .json(let value):
            if !containsBlobReference(value) { return value.serializedData() }
            return try resolve(value, blobs: blobs).serializedData()
        case .text(let text): return Data(text.utf8)
        case .bytes(let data): return data
        case .blob(let hex, _): return try blobs.read(hex)
        }
    }

    private func looksLikeJSON(_ data: Data) -> Bool {
        for byte in data {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): return true
            default: return false
            }
        }
        return false
    }

    private func externalize(_ value: JSONValue, into blobs: inout [String: Data]) -> JSONValue {
        switch value {
        case .string(let s) where s.utf8.count >= blobThreshold && Self.looksLikeBase64(s):
            let data = Data(s.utf8)
            let hex = SHA256.hex(data)
            blobs[hex] = data
            return .string(Self.blobPrefix + hex)
        case .array(let elements):
            return .array(elements.map { externalize($0, into: &blobs) })
        case .object(let members):
            return .object(members.mapValues { externalize($0, into: &blobs) })
        default:
            return value
        }
    }

    /// Whether `value` holds an integer a double cannot be trusted to carry exactly (|n| > 2^53).
    static func holdsLargeInteger(_ value: JSONValue) -> Bool {
        switch value {
        case .number(let n): n.rounded() == n && abs(n) > 9_007_199_254_740_992
        case .array(let elements): elements.contains(where: holdsLargeInteger)
        case .object(let members): members.values.contains(where: holdsLargeInteger)
        default: false
        }
    }

    /// Base64 (or a `data:…;base64,` URL): long prose stays inline, where it diffs well.
    static func looksLikeBase64(_ s: String) -> Bool {
        var payload = Substring(s)
        if payload.hasPrefix("data:"), let comma = payload.firstIndex(of: ",") { payload = payload[payload.index(after: comma)...] }
        return payload.utf8.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == 0x0A || byte == 0x0D
        }
    }

    private func containsBlobReference(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let s): s.hasPrefix(Self.blobPrefix)
        case .array(let elements): elements.contains(where: containsBlobReference)
        case .object(let members): members.values.contains(where: containsBlobReference)
        default: false
        }
    }

    private func resolve(_ value: JSONValue, blobs: BlobStore) throws -> JSONValue {
        switch value {
        case .string(let s) where s.hasPrefix(Self.blobPrefix):
            return .string(String(decoding: try blobs.read(String(s.dropFirst(Self.blobPrefix.count))), as: UTF8.self))
        case .array(let elements): return .array(try elements.map { try resolve($0, blobs: blobs) })
        case .object(let members): return .object(try members.mapValues { try resolve($0, blobs: blobs) })
        default: return value
        }
    }
}

/// The side files of the cassettes in one directory: `blobs/<sha256>`, shared by all of them
/// (content-addressed, so two cassettes holding the same image store it once).
public struct BlobStore: Sendable {
    public var directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The blob store next to `cassette`.
    public init(nextTo cassette: URL) {
        self.directory = cassette.deletingLastPathComponent().appendingPathComponent("blobs", isDirectory: true)
    }

    public func url(for hex: String) -> URL { directory.appendingPathComponent(hex) }

    public func read(_ hex: String) throws -> Data {
        let file = url(for: hex)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw CassetteError(.invalid, file: file.path,
                                "side file \(file.path) is missing; re-record the cassette that refers to it (ORCH_RECORD=all)")
        }
        guard SHA256.hex(data) == hex else {
            throw CassetteError(.invalid, file: file.path,
                                "side file \(file.path) does not match its SHA-256 name: it was changed or truncated; re-record it")
        }
        return data
    }

    /// Writes `data` under its hash unless a file of that name exists (same name, same content).
    /// Two processes writing one blob write the same bytes, so the last rename wins harmlessly.
    public func write(_ blobs: [String: Data]) throws(SharedFileError) {
        for (hex, data) in blobs where !FileManager.default.fileExists(atPath: url(for: hex).path) {
            try AtomicFile.write(data, to: url(for: hex))
        }
    }
}
