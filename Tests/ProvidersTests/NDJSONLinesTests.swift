import Foundation
import Providers
import Testing

/// Server-sent events are parsed by Cassettes' `ServerSentEventParser` (tested there); Ollama's
/// newline-delimited JSON by `NDJSONLines`.
@Suite struct NDJSONLinesTests {
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
