import Foundation
import OrchJSON
import Synchronization

/// A transport that replays recorded exchanges from a cassette file and, when the record mode
/// allows, sends the rest through `upstream` and records them.
///
/// ```swift
/// let transport = try CassetteTransport(file: url, mode: .once, upstream: URLSessionTransport())
/// let response = try await transport.send(request)
/// try transport.close()  // merges what it recorded into the file; `deinit` does it otherwise
/// ```
///
/// Any number of transports, in this process or others, may record into one cassette: each
/// journals its interactions and merges them into the file when it closes (docs/cassettes.md,
/// "Files shared between processes").
///
/// Requests match by method, normalized URL, canonical body and (non-ignored) headers, never
/// by arrival order, so concurrent requests replay deterministically; identical requests get
/// their recorded responses in recorded order.
public final class CassetteTransport: HTTPTransport {
    /// The cassette file.
    public let file: URL
    /// The mode in force (after `ORCH_RECORD`).
    public let mode: RecordMode
    public let options: CassetteOptions
    private let upstream: (any HTTPTransport)?
    private let blobs: BlobStore
    /// Why recording is not allowed here (CI), or nil.
    private let refusal: String?
    private let existedAtStart: Bool
    private let state: Mutex<ReplayState>
    private let usageLog: UsageLog?
    /// Writes what this transport records, when it may record.
    private let recorder: CassetteRecorder?

    /// Opens the cassette at `file`. Throws if the file exists but cannot be read as a
    /// cassette (naming the file), if `ORCH_RECORD` holds a bad value, or if this transport
    /// would re-record (`all`) a cassette another recorder is recording, or record one being
    /// re-recorded (the message names the other process).
    ///
    /// A recording transport keeps what it records in a journal beside the cassette and merges
    /// it into the file when it closes: call `close()` (or let the transport go).
    public init(file: URL, mode: RecordMode = .never, upstream: (any HTTPTransport)? = nil,
                options: CassetteOptions = CassetteOptions(),
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(CassetteError) {
        self.file = file
        self.mode = try RecordMode.resolve(mode, environment: environment, file: file.path)
        self.options = options
        self.upstream = upstream
        self.blobs = BlobStore(nextTo: file)
        self.refusal = RecordMode.refusal(environment: environment)
        // A journal left by a killed recorder holds interactions of this cassette too.
        let journals = try FoundJournal.all(for: file)
        existedAtStart = FileManager.default.fileExists(atPath: file.path) || journals.contains { !$0.isLive }
        let records = Self.mayRecord(self.mode, existed: existedAtStart) && refusal == nil && upstream != nil
        recorder = records ? try CassetteRecorder(file: file, mode: self.mode, metadata: options.metadata, scanner: options.scanner) : nil
        if self.mode != .all && (existedAtStart || !journals.isEmpty) {
            var replay = FileManager.default.fileExists(atPath: file.path)
                ? try ReplayState(file: LazyCassette(contentsOf: file), rules: options.matching)
                : ReplayState(cassette: Cassette(metadata: options.metadata), rules: options.matching)
            let others = try FoundJournal.all(for: file, excluding: Set([recorder?.journalPath].compactMap { $0 }))
            try replay.include(others.flatMap(\.interactions))
            state = Mutex(replay)
        } else {
            state = Mutex(ReplayState(cassette: Cassette(metadata: options.metadata), rules: options.matching))
        }
        let logURL = options.usageLog ?? environment[CassetteOptions.usageLogVariable].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
        usageLog = logURL.map { UsageLog(url: $0, cassette: file) }
    }

    deinit {
        do {
            try close()
        } catch {
            // Nothing is lost: the journal stays, and replay and the next recorder include it.
            FileHandle.standardError.write(Data("warning: \(error.message)\n".utf8))
        }
    }

    /// Merges what this transport recorded into the cassette file (with what other recorders
    /// merged meanwhile) and ends recording; replaying goes on. Safe to call more than once.
    public func close() throws(CassetteError) {
        try state.withLock { _ throws(CassetteError) in try recorder?.close() }
    }

    /// The cassette's metadata; `origin` tells whether results rest on a synthetic cassette.
    public var metadata: CassetteMetadata { state.withLock { $0.metadata } }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let prepared = prepare(request)
        switch try claim(prepared) {
        case .replay(let interaction):
            try await options.latency.pass(interaction.latency.totalMs)
            return try response(from: interaction)
        case .record(let live):
            // Read through the streaming form so the time to the response's head is measured
            // too; a transport without real streaming answers it with its whole body at once.
            let start = ContinuousClock.now
            let head = try await live.stream(request)
            let firstByte = start.duration(to: .now).milliseconds
            let response = try await head.collect()
            let total = start.duration(to: .now).milliseconds
            let (stored, responseBlobs) = store(response: response.status, headers: response.headers, body: response.body)
            try commit(Interaction(request: prepared.stored, response: stored, latency: Latency(totalMs: total, firstByteMs: firstByte)),
                       blobs: prepared.blobs.merging(responseBlobs) { a, _ in a })
            return response
        }
    }

    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let prepared = prepare(request)
        switch try claim(prepared) {
        case .replay(let interaction):
            return try replayStream(interaction)
        case .record(let live):
            let start = ContinuousClock.now
            let response = try await live.stream(request)
            let (head, _) = store(response: response.status, headers: response.headers, body: Data())
            let tap = StreamTap(iterator: response.chunks.makeAsyncIterator(), start: start)
            let chunks = AsyncThrowingStream<Data, any Error> { [self] in
                do {
                    if let chunk = try await tap.next() { return chunk }
                    try commit(tap.interaction(request: prepared.stored, head: head, interrupted: nil), blobs: prepared.blobs)
                    return nil
                } catch let error as CassetteError {
                    throw error
                } catch {
                    // Record the cut-off stream as it happened, then pass the real error on. The error's
                    // text often holds the request URL, credentials and all.
                    let reason = options.scanner.mask(options.redaction.redact(message: String(describing: error)))
                    try commit(tap.interaction(request: prepared.stored, head: head, interrupted: reason), blobs: prepared.blobs)
                    throw error
                }
            }
            return HTTPStreamingResponse(status: response.status, headers: response.headers, chunks: chunks)
        }
    }

    // MARK: - Steps

    struct Prepared {
        var stored: RecordedRequest
        var blobs: [String: Data]
        var key: RequestKey
    }

    enum Claim {
        case replay(Interaction)
        case record(any HTTPTransport)
    }

    func prepare(_ request: HTTPRequest) -> Prepared {
        let redaction = options.redaction
        let (body, blobs) = options.codec.store(request.body, transformJSON: redaction.redact(json:), transformText: redaction.redact(text:))
        let stored = RecordedRequest(method: request.method, url: redaction.redact(url: request.url),
                                     headers: redaction.redact(headers: request.headers), body: body)
        return Prepared(stored: stored, blobs: blobs, key: RequestKey(stored, rules: options.matching))
    }

    /// Whether this mode records requests it cannot replay (CI and a missing upstream aside).
    private var mayRecord: Bool { Self.mayRecord(mode, existed: existedAtStart) }

    private static func mayRecord(_ mode: RecordMode, existed: Bool) -> Bool {
        mode == .missing || mode == .all || (mode == .once && !existed)
    }

    /// Serves the next recorded interaction for the request, or decides to record, or throws a miss.
    private func claim(_ prepared: Prepared) throws -> Claim {
        let replaying = mode != .all && !(mode == .once && !existedAtStart)
        let outcome = try state.withLock { state throws(CassetteError) -> ReplayState.Lookup in
            replaying ? try state.next(for: prepared.key, allowRepeats: options.matching.allowRepeats) : .none
        }
        if case .hit(let interaction) = outcome {
            usageLog?.append(digest: interaction.request.digest)
            return .replay(interaction)
        }
        if let live = liveTransport() { return .record(live) }
        let note = mayRecord ? refusal : nil
        let miss: CassetteError
        switch outcome {
        case .exhausted(let count):
            miss = report(prepared).alreadyUsed(count: count, refusal: note)
        default:
            if mode == .once && !existedAtStart, let refusal {
                throw CassetteError(.recordingRefused, file: file.path, "cassette \(file.path) does not exist and \(refusal).")
            }
            let candidates = try state.withLock { state throws(CassetteError) in try state.allInteractions().map(\.request) }
            miss = report(prepared).neverRecorded(candidates: candidates, refusal: note)
        }
        guard mayRecord else { throw miss }
        if refusal != nil { throw CassetteError(.recordingRefused, file: miss.file, miss.message) }
        throw CassetteError(.recordingRefused, file: file.path,
                            "cassette \(file.path) must record \(prepared.stored.method) \(options.scanner.mask(prepared.stored.url)) in mode \(mode.rawValue) but was given no live transport (upstream)")
    }

    /// The live transport when this mode may record here, else nil.
    private func liveTransport() -> (any HTTPTransport)? {
        guard mayRecord, refusal == nil else { return nil }
        return upstream
    }

    private func report(_ prepared: Prepared) -> MissReport {
        MissReport(file: file.path, request: prepared.stored, rules: options.matching, scanner: options.scanner)
    }

    /// The stored form of a response head and body: volatile headers dropped, credentials redacted.
    private func store(response status: Int, headers: HTTPHeaders, body: Data) -> (RecordedResponse, [String: Data]) {
        let redaction = options.redaction
        var kept = HTTPHeaders()
        for (name, value) in headers where !options.isVolatile(responseHeader: name) { kept[name] = value }
        let (storedBody, blobs) = options.codec.store(body, exactNumbers: true, transformJSON: redaction.redact(json:),
                                                      transformText: redaction.redact(text:))
        return (RecordedResponse(status: status, headers: redaction.redact(headers: kept), body: storedBody), blobs)
    }

    /// Journals a recorded interaction (scanned for secrets first) and makes it replayable.
    private func commit(_ interaction: Interaction, blobs newBlobs: [String: Data]) throws {
        try state.withLock { state throws(CassetteError) in
            guard let recorder else { return }
            try recorder.record(interaction, sideFiles: newBlobs)
            try state.append(interaction)
        }
        usageLog?.append(digest: interaction.request.digest)
    }

    private func response(from interaction: Interaction) throws -> HTTPResponse {
        let recorded = interaction.response
        var body: Data
        if let chunks = recorded.chunks {
            body = Data()
            for chunk in chunks { body.append(chunk.data) }
        } else {
            body = try options.codec.load(recorded.body, blobs: blobs)
        }
        if let cut = recorded.streamInterrupted { throw interrupted(cut) }
        return HTTPResponse(status: recorded.status, headers: HTTPHeaders(recorded.headers), body: body)
    }

    private func replayStream(_ interaction: Interaction) throws -> HTTPStreamingResponse {
        let recorded = interaction.response
        let chunks = try recorded.chunks ?? [RecordedResponse.Chunk(offsetMs: interaction.latency.totalMs,
                                                                    data: options.codec.load(recorded.body, blobs: blobs))]
        let player = ChunkPlayer(chunks: chunks, latency: options.latency, total: interaction.latency.totalMs,
                                 interruption: recorded.streamInterrupted.map(interrupted))
        return HTTPStreamingResponse(status: recorded.status, headers: HTTPHeaders(recorded.headers),
                                     chunks: AsyncThrowingStream { try await player.next() })
    }

    private func interrupted(_ reason: String) -> CassetteError {
        CassetteError(.streamInterrupted, file: file.path,
                      "the recorded stream in \(file.path) was cut off here when it was recorded: \(reason)")
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
