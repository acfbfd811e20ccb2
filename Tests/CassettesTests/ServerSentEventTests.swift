import Cassettes
import Foundation
import Testing

@Suite("server-sent events")
struct ServerSentEventTests {
    private func events(_ chunks: [String]) -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        var found = chunks.flatMap { parser.feed(Data($0.utf8)) }
        if let last = parser.finish() { found.append(last) }
        return found
    }

    @Test("events split anywhere across chunks, with \\n, \\r\\n and \\r line ends")
    func chunking() {
        let body = "event: message\ndata: {\"a\":1}\n\ndata: two\r\n\r\ndata: three\r\rdata: four\n\n"
        let expected = [ServerSentEvent(event: "message", data: #"{"a":1}"#), ServerSentEvent(data: "two"),
                         ServerSentEvent(data: "three"), ServerSentEvent(data: "four")]
        #expect(events([body]) == expected)
        // Every split point, including between the \r and \n of one line end.
        for cut in body.utf8.indices.dropFirst() {
            let bytes = Array(body.utf8)
            let offset = body.utf8.distance(from: body.utf8.startIndex, to: cut)
            let parts = [String(decoding: bytes[..<offset], as: UTF8.self), String(decoding: bytes[offset...], as: UTF8.self)]
            #expect(events(parts) == expected, "split at \(offset)")
        }
    }

    @Test("comments are skipped, data lines join with newlines, id and retry are kept, an event without data is dropped")
    func fields() {
        let found = events([": keep-alive\n\nid: 7\nretry: 500\ndata: line one\ndata:line two\n\nevent: ping\n\n"])
        #expect(found == [ServerSentEvent(data: "line one\nline two", id: "7", retry: 500)])
    }

    @Test("a last event without its blank line is returned by finish")
    func unterminated() {
        #expect(events(["data: a\n\n", "data: tail"]) == [ServerSentEvent(data: "a"), ServerSentEvent(data: "tail")])
    }
}
