import Foundation
import OrchJSON

/// One cassette: the recorded HTTP exchanges of one test or evaluation case, as stored in
/// one JSON file (see docs/cassettes.md for the file format).
public struct Cassette: Sendable, Equatable {
    /// The version of the file format this code reads and writes.
    public static let formatVersion = 1

    public var metadata: CassetteMetadata
    public var interactions: [Interaction]

    public init(metadata: CassetteMetadata = CassetteMetadata(), interactions: [Interaction] = []) {
        self.metadata = metadata
        self.interactions = interactions
    }
}

/// Who made a cassette, when, and whether it came from a real service.
public struct CassetteMetadata: Sendable, Equatable {
    public enum Origin: String, Sendable {
        /// Recorded from a real endpoint.
        case live
        /// Written by hand or generated; results resting on it are labelled as such.
        case synthetic
    }

    /// ISO 8601 time of the last recording.
    public var recordedAt: String
    /// The program (and version) that recorded it.
    public var recordedBy: String
    public var origin: Origin
    public var notes: String

    public init(recordedAt: String = "", recordedBy: String = CassetteMetadata.defaultRecorder,
                origin: Origin = .live, notes: String = "") {
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.origin = origin
        self.notes = notes
    }

    public static let defaultRecorder = "orch-eval Cassettes/\(Cassette.formatVersion)"
}

/// One request and the response it got, in stored (redacted) form.
public struct Interaction: Sendable, Equatable {
    public var request: RecordedRequest
    public var response: RecordedResponse
    public var latency: Latency

    public init(request: RecordedRequest, response: RecordedResponse, latency: Latency) {
        self.request = request
        self.response = response
        self.latency = latency
    }
}

/// A request as stored: URL normalized, credentials replaced by a placeholder.
public struct RecordedRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: StoredBody

    public init(method: String, url: String, headers: [String: String] = [:], body: StoredBody = .empty) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A response as stored: a whole body, or the chunks of a stream with their time offsets.
public struct RecordedResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: StoredBody
    /// Set for a streamed response: the body as it arrived, piece by piece.
    public var chunks: [Chunk]?
    /// Set when the stream broke off while recording: the error it broke with.
    public var streamInterrupted: String?

    public init(status: Int, headers: [String: String] = [:], body: StoredBody = .empty,
                chunks: [Chunk]? = nil, streamInterrupted: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.chunks = chunks
        self.streamInterrupted = streamInterrupted
    }

    /// One piece of a streamed body and when it arrived, in milliseconds after the request was sent.
    public struct Chunk: Sendable, Equatable {
        public var offsetMs: Double
        public var data: Data

        public init(offsetMs: Double, data: Data) {
            self.offsetMs = offsetMs
            self.data = data
        }
    }
}

/// Measured time of an exchange, in milliseconds.
public struct Latency: Sendable, Equatable {
    public var totalMs: Double
    public var firstByteMs: Double?

    public init(totalMs: Double, firstByteMs: Double? = nil) {
        self.totalMs = totalMs
        self.firstByteMs = firstByteMs
    }
}

/// A body in the form a cassette keeps it: JSON as JSON (large base64 strings inside moved to
/// side files and referenced as `blob:sha256:HEX`), UTF-8 text as text, other bytes as bytes
/// (base64 in the file), large binary payloads as a reference to a side file.
public enum StoredBody: Sendable, Hashable {
    case empty
    case json(JSONValue)
    case text(String)
    case bytes(Data)
    /// A side file `blobs/<sha256>` next to the cassette.
    case blob(sha256: String, size: Int)
}
