import Foundation
import Providers
import Testing

@Suite struct SSEParserTests {
    private func events(_ pieces: [String]) -> [ServerSentEvent] {
        var parser = SSEParser()
        var out = pieces.flatMap { parser.feed(Data($0.utf8)) }
        if let last = parser.finish() { out.append(last) }
        return out
    }

    @Test func dataOnlyEventsSplitAcrossChunks() {
        #expect(events(["data: {\"a\"", ":1}\n\nda", "ta: [DONE]\n\n"]) == [
            ServerSentEvent(data: "{\"a\":1}"), ServerSentEvent(data: "[DONE]"),
        ])
    }

    @Test func namedEventsCommentsAndMultiLineData() {
        let text = ": keep-alive\n\nevent: ping\ndata: {}\n\nevent: message_delta\ndata: line one\ndata: line two\nid: 7\nretry: 100\n\n"
        #expect(events([text]) == [
            ServerSentEvent(event: "ping", data: "{}"),
            ServerSentEvent(event: "message_delta", data: "line one\nline two"),
        ])
    }

    @Test func crlfAndLoneCRTerminateLines() {
        #expect(events(["data: a\r\n\r\ndata: b\r\rdata: c\r", "\n\r\n"]) == [
            ServerSentEvent(data: "a"), ServerSentEvent(data: "b"), ServerSentEvent(data: "c"),
        ])
    }

    @Test func anUnterminatedLastEventComesOutOfFinish() {
        // Gemini's stream has no end sentinel; its last event may lack the blank line.
        #expect(events(["data: {\"x\":1}\n\ndata: {\"x\":2}"]) == [ServerSentEvent(data: "{\"x\":1}"), ServerSentEvent(data: "{\"x\":2}")])
    }

    @Test func ndjsonLinesAcrossChunks() {
        var lines = NDJSONLines()
        var out = lines.feed(Data("{\"a\":1}\n{\"b\"".utf8))
        out += lines.feed(Data(":2}\r\n\n".utf8))
        out += lines.feed(Data("{\"done\":true}".utf8))
        let last = lines.finish()
        #expect(out.map { String(decoding: $0, as: UTF8.self) } == ["{\"a\":1}", "{\"b\":2}"])
        #expect(last.map { String(decoding: $0, as: UTF8.self) } == "{\"done\":true}")
    }
}
