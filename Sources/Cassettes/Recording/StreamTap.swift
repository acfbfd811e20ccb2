import Foundation

/// Reads a live stream for the caller while noting each chunk and when it came.
/// Used by one consumer at a time (the stream's iteration is sequential).
final class StreamTap: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<Data, any Error>.Iterator
    private let start: ContinuousClock.Instant
    private var chunks: [RecordedResponse.Chunk] = []
    private var firstByteMs: Double?

    init(iterator: AsyncThrowingStream<Data, any Error>.Iterator, start: ContinuousClock.Instant) {
        self.iterator = iterator
        self.start = start
    }

    func next() async throws -> Data? {
        guard let chunk = try await iterator.next() else { return nil }
        let offset = start.duration(to: .now).milliseconds
        if firstByteMs == nil { firstByteMs = offset }
        chunks.append(RecordedResponse.Chunk(offsetMs: offset.roundedMs, data: chunk))
        return chunk
    }

    func interaction(request: RecordedRequest, head: RecordedResponse, interrupted: String?) -> Interaction {
        var response = head
        response.chunks = chunks
        response.streamInterrupted = interrupted
        return Interaction(request: request, response: response,
                           latency: Latency(totalMs: start.duration(to: .now).milliseconds, firstByteMs: firstByteMs))
    }
}

/// Plays recorded chunks back, at their recorded offsets in `.realtime`, then ends the
/// stream the way the recording ended (finished, or cut off with an error).
final class ChunkPlayer: @unchecked Sendable {
    private let chunks: [RecordedResponse.Chunk]
    private let latency: ReplayLatency
    private let total: Double
    private let interruption: CassetteError?
    private var position = 0
    private var elapsed = 0.0

    init(chunks: [RecordedResponse.Chunk], latency: ReplayLatency, total: Double, interruption: CassetteError?) {
        self.chunks = chunks
        self.latency = latency
        self.total = total
        self.interruption = interruption
    }

    func next() async throws -> Data? {
        if position < chunks.count {
            let chunk = chunks[position]
            position += 1
            try await advance(to: chunk.offsetMs)
            return chunk.data
        }
        if position == chunks.count {
            position += 1
            try await advance(to: total)
            if let interruption { throw interruption }
        }
        return nil
    }

    private func advance(to offset: Double) async throws {
        let step = max(0, offset - elapsed)
        elapsed = max(elapsed, offset)
        try await latency.pass(step)
    }
}
