import Foundation

/// One server-sent event: its `event:` name (nil when the server sent none) and its data
/// (multi-line `data:` fields joined with "\n").
public struct ServerSentEvent: Sendable, Equatable {
    public var event: String?
    public var data: String

    public init(event: String? = nil, data: String) {
        self.event = event
        self.data = data
    }
}

/// Splits a `text/event-stream` body, fed in arbitrary chunks, into events (WHATWG rules):
/// lines end with LF, CR or CRLF; a blank line ends an event; lines starting with `:` are
/// comments (keep-alives); `id:` and `retry:` are ignored; an event with no data is dropped.
///
/// ```swift
/// var parser = SSEParser()
/// for try await chunk in response.chunks { for event in parser.feed(chunk) { … } }
/// let tail = parser.finish()   // an event not closed by a blank line, if any
/// ```
public struct SSEParser: Sendable {
    private var buffer = Data()
    private var lastWasCR = false
    private var event: String?
    private var data: [String] = []

    public init() {}

    /// The events completed by `chunk`.
    public mutating func feed(_ chunk: Data) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in chunk {
            if lastWasCR && byte == 0x0A { lastWasCR = false; continue }  // the LF of a CRLF
            lastWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                if let event = line(String(decoding: buffer, as: UTF8.self)) { events.append(event) }
                buffer.removeAll(keepingCapacity: true)
            } else {
                buffer.append(byte)
            }
        }
        return events
    }

    /// Ends the input: the event still open (data without its closing blank line), if any.
    public mutating func finish() -> ServerSentEvent? {
        if !buffer.isEmpty { _ = line(String(decoding: buffer, as: UTF8.self)); buffer.removeAll() }
        return dispatch()
    }

    /// Whether bytes of an unfinished event are pending.
    public var hasPendingData: Bool { !buffer.isEmpty || !data.isEmpty }

    private mutating func line(_ line: String) -> ServerSentEvent? {
        if line.isEmpty { return dispatch() }
        if line.hasPrefix(":") { return nil }
        let field: Substring, value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            var rest = line[line.index(after: colon)...]
            if rest.hasPrefix(" ") { rest = rest.dropFirst() }
            value = rest
        } else {
            field = Substring(line)
            value = ""
        }
        switch field {
        case "data": data.append(String(value))
        case "event": event = String(value)
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer { event = nil; data = [] }
        guard !data.isEmpty else { return nil }
        return ServerSentEvent(event: event, data: data.joined(separator: "\n"))
    }
}
