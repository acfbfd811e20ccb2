import Foundation

/// One server-sent event: its `event` name (nil when none was given), its data (the `data:`
/// lines joined by newlines), and its `id` and `retry` fields when present.
public struct ServerSentEvent: Sendable, Equatable {
    public var event: String?
    public var data: String
    public var id: String?
    public var retry: Int?

    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}

/// Splits a `text/event-stream` body into events as its bytes arrive, chunk by chunk (a
/// chunk may end anywhere, even inside a line). Lines end with `\n`, `\r` or `\r\n`; a blank
/// line ends an event; `:` lines are comments; an event without data is dropped, as the
/// HTML standard says.
///
/// ```swift
/// var parser = ServerSentEventParser()
/// for try await chunk in response.chunks {
///     for event in parser.feed(chunk) { print(event.data) }
/// }
/// let last = parser.finish()   // an event the stream ended without a blank line after
/// ```
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var afterCR = false
    private var event: String?
    private var data: [String] = []
    private var id: String?
    private var retry: Int?

    public init() {}

    /// The events completed by `chunk`.
    public mutating func feed(_ chunk: Data) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in chunk {
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") { continue }  // the \n of a \r\n
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                afterCR = byte == UInt8(ascii: "\r")
                if let event = endLine() { events.append(event) }
            } else {
                line.append(byte)
            }
        }
        return events
    }

    /// The event in progress when the body ends without its blank line, if it has data.
    public mutating func finish() -> ServerSentEvent? {
        if !line.isEmpty { _ = endLine() }
        return dispatch()
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line = [] }
        guard !line.isEmpty else { return dispatch() }
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix(":") { return nil }
        let field: Substring, value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            var rest = text[text.index(after: colon)...]
            if rest.first == " " { rest = rest.dropFirst() }
            value = rest
        } else {
            field = text[...]
            value = ""
        }
        switch field {
        case "event": event = String(value)
        case "data": data.append(String(value))
        case "id": id = String(value)
        case "retry": retry = Int(value)
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer { event = nil; data = [] }
        guard !data.isEmpty else { return nil }
        return ServerSentEvent(event: event, data: data.joined(separator: "\n"), id: id, retry: retry)
    }
}
