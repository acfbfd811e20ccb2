import Cassettes
import Foundation

/// A streamed answer that has started (2xx): its chunks, with failures turned into
/// `ProviderError`s and the time of the first byte noted.
public struct ProviderStream: Sendable {
    let http: ProviderHTTP
    public let response: HTTPStreamingResponse
    let start: Double

    /// Calls `body` with each chunk as it arrives; returns the latency once the body ends.
    /// A connection that breaks is `.streamBroken`; cancellation is `.cancelled`.
    public func forEachChunk(_ body: (Data) throws -> Void) async throws -> Latency {
        var firstByte: Double?
        do {
            for try await chunk in response.chunks {
                if firstByte == nil { firstByte = http.clock.now() - start }
                try body(chunk)
            }
        } catch {
            throw http.transportError(error, streaming: true)
        }
        if Task.isCancelled { throw ProviderError(.cancelled, provider: http.provider, "cancelled") }
        return Latency(firstByteMilliseconds: firstByte, totalMilliseconds: http.clock.now() - start)
    }

    /// Calls `body` with each server-sent event; the last event, if the body ended without
    /// its blank line, is delivered too.
    public func forEachEvent(_ body: (ServerSentEvent) throws -> Void) async throws -> Latency {
        var parser = SSEParser()
        let latency = try await forEachChunk { chunk in
            for event in parser.feed(chunk) { try body(event) }
        }
        if let last = parser.finish() { try body(last) }
        return latency
    }

    /// The error for a stream that ended before its documented end marker.
    public func endedEarly(_ what: String) -> ProviderError {
        ProviderError(.streamBroken, provider: http.provider, "the stream ended before \(what); the answer is incomplete")
    }
}
