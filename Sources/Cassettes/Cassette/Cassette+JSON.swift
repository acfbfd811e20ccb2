import Foundation
import OrchJSON

extension Cassette {
    /// The cassette as the JSON document written to its file.
    public func jsonValue() -> JSONValue {
        [
            "format_version": .number(Double(Cassette.formatVersion)),
            "metadata": metadata.jsonValue,
            "interactions": .array(interactions.map { $0.jsonValue() }),
        ]
    }

    /// Reads a cassette document; errors name `file` and the JSON path of the bad field.
    public init(json: JSONValue, file: String) throws(CassetteError) {
        var reader = FieldReader(file: file)
        let version = try reader.int(json, "format_version")
        guard version == Cassette.formatVersion else {
            throw CassetteError(.invalid, file: file,
                                "\(file): format_version \(version) is not supported (this build reads \(Cassette.formatVersion)); re-record it")
        }
        let meta = try reader.object(json, "metadata")
        let originText = try reader.string(meta, "origin", at: "metadata")
        guard let origin = CassetteMetadata.Origin(rawValue: originText) else {
            throw reader.error("metadata.origin", "must be \"live\" or \"synthetic\", not \"\(originText)\"")
        }
        metadata = CassetteMetadata(
            recordedAt: try reader.optionalString(meta, "recorded_at", at: "metadata") ?? "",
            recordedBy: try reader.optionalString(meta, "recorded_by", at: "metadata") ?? "",
            origin: origin,
            notes: try reader.optionalString(meta, "notes", at: "metadata") ?? "")
        guard case .array(let items)? = json["interactions"] else {
            throw reader.error("interactions", "must be an array of interactions")
        }
        interactions = []
        interactions.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            interactions.append(try Interaction(json: item, at: "interactions.\(i)", reader: &reader))
        }
    }
}

extension CassetteMetadata {
    /// The `metadata` object of a cassette file.
    public var jsonValue: JSONValue {
        ["recorded_at": .string(recordedAt), "recorded_by": .string(recordedBy), "origin": .string(origin.rawValue), "notes": .string(notes)]
    }
}

extension Interaction {
    /// One element of a cassette file's `interactions` array.
    public func jsonValue() -> JSONValue {
        var latencyObject: [String: JSONValue] = ["total_ms": .number(latency.totalMs.roundedMs)]
        if let first = latency.firstByteMs { latencyObject["first_byte_ms"] = .number(first.roundedMs) }
        var responseObject: [String: JSONValue] = [
            "status": .number(Double(response.status)),
            "headers": .object(response.headers.mapValues(JSONValue.string)),
        ]
        if let chunks = response.chunks {
            responseObject["chunks"] = .array(chunks.map { chunk in
                var object: [String: JSONValue] = ["offset_ms": .number(chunk.offsetMs.roundedMs)]
                if let text = String(validating: chunk.data, as: UTF8.self) {
                    object["data"] = .string(text)
                } else {
                    object["data_base64"] = .string(chunk.data.base64EncodedString())
                }
                return .object(object)
            })
        } else if let body = response.body.jsonValue {
            responseObject["body"] = body
        }
        if let interrupted = response.streamInterrupted { responseObject["stream_interrupted"] = .string(interrupted) }
        var requestObject: [String: JSONValue] = [
            "method": .string(request.method),
            "url": .string(request.url),
            "headers": .object(request.headers.mapValues(JSONValue.string)),
        ]
        if let body = request.body.jsonValue { requestObject["body"] = body }
        return ["request": .object(requestObject), "response": .object(responseObject), "latency": .object(latencyObject)]
    }

    init(json: JSONValue, at path: String, reader: inout FieldReader) throws(CassetteError) {
        let req = try reader.object(json, "request", at: path)
        let res = try reader.object(json, "response", at: path)
        let lat = try reader.object(json, "latency", at: path)
        request = RecordedRequest(
            method: try reader.string(req, "method", at: path + ".request"),
            url: try reader.string(req, "url", at: path + ".request"),
            headers: try reader.headers(req, at: path + ".request"),
            body: try StoredBody(json: req["body"], at: path + ".request.body", reader: reader))
        var chunks: [RecordedResponse.Chunk]?
        if let chunkList = res["chunks"] {
            guard case .array(let items) = chunkList else { throw reader.error(path + ".response.chunks", "must be an array") }
            chunks = []
            for (i, item) in items.enumerated() {
                let at = "\(path).response.chunks.\(i)"
                let offset = try reader.number(item, "offset_ms", at: at)
                if let text = item["data"]?.stringValue {
                    chunks?.append(.init(offsetMs: offset, data: Data(text.utf8)))
                } else if let b64 = item["data_base64"]?.stringValue, let data = Data(base64Encoded: b64) {
                    chunks?.append(.init(offsetMs: offset, data: data))
                } else {
                    throw reader.error(at, "needs \"data\" (text) or \"data_base64\"")
                }
            }
        }
        response = RecordedResponse(
            status: try reader.int(res, "status", at: path + ".response"),
            headers: try reader.headers(res, at: path + ".response"),
            body: try StoredBody(json: res["body"], at: path + ".response.body", reader: reader),
            chunks: chunks,
            streamInterrupted: try reader.optionalString(res, "stream_interrupted", at: path + ".response"))
        latency = Latency(totalMs: try reader.number(lat, "total_ms", at: path + ".latency"),
                          firstByteMs: lat["first_byte_ms"]?.doubleValue)
    }
}

extension StoredBody {
    /// `{"json": …}`, `{"text": …}`, `{"base64": …}` or `{"file": HEX, "size": N}`; nil when empty.
    var jsonValue: JSONValue? {
        switch self {
        case .empty: nil
        case .json(let value): ["json": value]
        case .text(let text): ["text": .string(text)]
        case .bytes(let data): ["base64": .string(data.base64EncodedString())]
        case .blob(let hex, let size): ["file": .string(hex), "size": .number(Double(size))]
        }
    }

    init(json: JSONValue?, at path: String, reader: FieldReader) throws(CassetteError) {
        guard let json, json != .null else { self = .empty; return }
        if let value = json["json"] {
            self = .json(value)
        } else if let text = json["text"]?.stringValue {
            self = .text(text)
        } else if let b64 = json["base64"]?.stringValue {
            guard let data = Data(base64Encoded: b64) else { throw reader.error(path + ".base64", "is not valid base64") }
            self = .bytes(data)
        } else if let hex = json["file"]?.stringValue {
            // The name becomes a path under blobs/: only a SHA-256 hex digest may be one.
            guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                throw reader.error(path + ".file", "is not a SHA-256 digest (64 lower-case hex digits)")
            }
            self = .blob(sha256: hex, size: json["size"]?.intValue ?? 0)
        } else {
            throw reader.error(path, "must be an object with one of \"json\", \"text\", \"base64\" or \"file\"")
        }
    }
}

/// Reads typed fields, turning a missing or mistyped one into an error naming its JSON path.
struct FieldReader {
    let file: String

    func error(_ path: String, _ problem: String) -> CassetteError {
        CassetteError(.invalid, file: file, "\(file): \(path) \(problem); fix the file or re-record it (ORCH_RECORD=all)")
    }

    private func field(_ object: JSONValue, _ key: String, at path: String) throws(CassetteError) -> JSONValue {
        guard let value = object[key] else { throw error(join(path, key), "is missing") }
        return value
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func object(_ object: JSONValue, _ key: String, at path: String = "") throws(CassetteError) -> JSONValue {
        let value = try field(object, key, at: path)
        guard case .object = value else { throw error(join(path, key), "must be an object") }
        return value
    }

    func string(_ object: JSONValue, _ key: String, at path: String = "") throws(CassetteError) -> String {
        guard let s = try field(object, key, at: path).stringValue else { throw error(join(path, key), "must be a string") }
        return s
    }

    func optionalString(_ object: JSONValue, _ key: String, at path: String) throws(CassetteError) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard let s = value.stringValue else { throw error(join(path, key), "must be a string") }
        return s
    }

    func number(_ object: JSONValue, _ key: String, at path: String = "") throws(CassetteError) -> Double {
        guard let n = try field(object, key, at: path).doubleValue else { throw error(join(path, key), "must be a number") }
        return n
    }

    func int(_ object: JSONValue, _ key: String, at path: String = "") throws(CassetteError) -> Int {
        guard let n = try field(object, key, at: path).intValue else { throw error(join(path, key), "must be a whole number") }
        return n
    }

    func headers(_ object: JSONValue, at path: String) throws(CassetteError) -> [String: String] {
        guard let value = object["headers"] else { return [:] }
        guard case .object(let members) = value else { throw error(path + ".headers", "must be an object of strings") }
        var headers: [String: String] = [:]
        for (name, value) in members {
            guard let s = value.stringValue else { throw error("\(path).headers.\(name)", "must be a string") }
            // Stored names are lower case; a hand-written `Content-Type` must match all the same.
            headers[name.utf8.contains(where: { (0x41...0x5A).contains($0) }) ? name.lowercased() : name] = s
        }
        return headers
    }
}

extension Double {
    /// Milliseconds kept to 0.1 ms: finer digits are noise that would churn diffs on re-record.
    var roundedMs: Double { (self * 10).rounded() / 10 }
}
