import Foundation

extension JSONValue {
    /// Parses a complete JSON document (RFC 8259), reporting the first problem by line and
    /// column. Nesting deeper than `maxDepth` is refused rather than overflowing the stack;
    /// each level takes under 1 KiB of stack (debug build), so 1024 levels fit a 1 MiB thread.
    ///
    /// Where RFC 8259 leaves a choice: any value may stand at the top level; a UTF-8
    /// byte-order mark before the document is skipped; of duplicate member names the last
    /// wins; a number beyond `Double`'s range (`1e400`) is an error, one too small for it
    /// (`1e-400`) is 0; a `\u` escape of a lone UTF-16 surrogate is an error, since a Swift
    /// `String` cannot hold it. Comments, trailing commas, `NaN` and `Infinity` are errors.
    public init(parsing data: Data, maxDepth: Int = 512) throws(JSONParseError) {
        self = try data.withUnsafeBytes { raw in JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self), maxDepth: maxDepth) }.get()
    }

    /// Parses a complete JSON document given as text.
    public init(parsing text: String, maxDepth: Int = 512) throws(JSONParseError) {
        var text = text
        self = try text.withUTF8 { JSONParser.parse($0, maxDepth: maxDepth) }.get()
    }
}

/// A recursive-descent parser over UTF-8 bytes. Byte-level so that errors can point at the
/// exact line and column, which Foundation's parsers do not promise on every platform. It
/// reads the caller's buffer in place (no copy, no bounds checks in release builds).
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var index = 0
    private var depth = 0
    /// Members and elements of the containers being read, innermost last. Each container is
    /// made from its stretch at the end, sized once: growing a dictionary member by member
    /// rehashed every key at each doubling, and growing arrays reallocated them.
    private var pendingMembers: [(key: String, value: JSONValue)] = []
    private var pendingElements: [JSONValue] = []

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// The document in `bytes`, which must stay valid for the call; a `Result` because the
    /// `withUnsafeBytes` family does not keep the error type.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> Result<JSONValue, JSONParseError> {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        return Result { () throws(JSONParseError) in try parser.parseDocument() }
    }

    private mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }  // tolerate a UTF-8 byte-order mark
        skipWhitespace()
        guard index < bytes.count else { throw error("the document is empty") }
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count { throw error("unexpected \(describe(bytes[index])) after the end of the JSON value") }
        return value
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input: the document is cut short") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected \(describe(bytes[index])) where a value was expected")
        }
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
        index += 1
        skipWhitespace()
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        if peek() == UInt8(ascii: "}") { index += 1; return .object([:]) }
        let first = pendingMembers.count
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw unexpected(expecting: "a member name in double quotes") }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw unexpected(expecting: "':' after member name \"\(key)\"") }
            index += 1
            skipWhitespace()
            pendingMembers.append((key, try parseValue()))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1; skipWhitespace()
            case UInt8(ascii: "}"): index += 1; return .object(takeMembers(from: first))
            default: throw unexpected(expecting: "',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        if peek() == UInt8(ascii: "]") { index += 1; return .array([]) }
        let first = pendingElements.count
        while true {
            pendingElements.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1; skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                defer { pendingElements.removeSubrange(first...) }
                return .array(Array(pendingElements[first...]))
            default: throw unexpected(expecting: "',' or ']' in an array")
            }
        }
    }

    /// The object of the members read since `first`; of duplicate names the last wins.
    private mutating func takeMembers(from first: Int) -> [String: JSONValue] {
        var members = [String: JSONValue](minimumCapacity: pendingMembers.count - first)
        for (key, value) in pendingMembers[first...] { members[key] = value }
        pendingMembers.removeSubrange(first...)
        return members
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes. ASCII needs no validation, and `String(decoding:)` copies it
        // far faster than `String(validating:)`, which costs about 1,000 instructions a call.
        let (end, ascii) = plainStretch(from: start)
        index = end
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            defer { index += 1 }
            let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
            return ascii ? String(decoding: raw, as: UTF8.self) : try decodeUTF8(raw, source: start..<index)
        }
        var scalars = [UInt8](bytes[start..<index])
        while true {
            guard index < bytes.count else { throw error("unexpected end of input inside a string") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try decodeUTF8(scalars, source: start..<index - 1)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unexpected end of input inside a string") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""): scalars.append(0x22)
                case UInt8(ascii: "\\"): scalars.append(0x5C)
                case UInt8(ascii: "/"): scalars.append(0x2F)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"): scalars.append(contentsOf: Unicode.UTF8.encode(try parseUnicodeEscape())!)
                default:
                    index -= 1
                    let shown = (0x21...0x7E).contains(escaped) ? "'\\\(Character(Unicode.Scalar(escaped)))'" : "'\\' followed by \(describe(escaped))"
                    throw error("invalid escape \(shown) in a string")
                }
            case 0..<0x20:
                throw error("control character \(describe(byte)) inside a string; escape it")
            default:
                scalars.append(byte)
                index += 1
            }
        }
    }

    /// Where the run of string bytes from `start` that need no escape or check ends (at a
    /// quote, a backslash, a control character or the end of input), and whether it is ASCII.
    private func plainStretch(from start: Int) -> (end: Int, ascii: Bool) {
        guard let base = bytes.baseAddress else { return (start, true) }
        let count = bytes.count
        var i = start
        var ascii = true
        while i + 8 <= count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if JSONBytes.mayNeedEscape(word) { break }
            ascii = ascii && JSONBytes.isASCII(word)
            i += 8
        }
        while i < count {
            let byte = base[i]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            ascii = ascii && byte < 0x80
            i += 1
        }
        return (i, ascii)
    }

    private mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let escapeStart = index - 2  // the backslash, so the error points at the whole escape
        func unpaired() -> JSONParseError { error("unpaired UTF-16 surrogate in a \\u escape", at: escapeStart) }
        var code = try parseHex4()
        if (0xD800...0xDBFF).contains(code) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw unpaired()
            }
            index += 2
            let low = try parseHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw unpaired() }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(code) {
            throw unpaired()
        }
        return Unicode.Scalar(code)!  // surrogates are excluded above, and 4 hex digits or a pair stay ≤ 0x10FFFF
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("unexpected end of input inside a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit \(describe(byte)) in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Checks the grammar and, for up to 19 significant digits and a power of ten within
    /// ±22, computes the value exactly in one rounding (Clinger's fast path: both operands
    /// are exact doubles); anything else goes through Swift's correctly rounded `Double(_:)`.
    private mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        let negative = peek() == UInt8(ascii: "-")
        if negative { index += 1 }
        guard let first = peek(), isDigit(first) else { throw unexpected(expecting: "a digit in a number") }
        var mantissa: UInt64 = 0
        var digits = 0
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek(), isDigit(next) { throw error("a number may not have leading zeros") }
        } else {
            accumulateDigits(into: &mantissa, count: &digits)
        }
        var exponent = 0
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let next = peek(), isDigit(next) else { throw unexpected(expecting: "a digit after the decimal point") }
            let before = index
            accumulateDigits(into: &mantissa, count: &digits)
            exponent = before - index
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            let negativeExponent = peek() == UInt8(ascii: "-")
            if negativeExponent || peek() == UInt8(ascii: "+") { index += 1 }
            guard let next = peek(), isDigit(next) else { throw unexpected(expecting: "a digit in the exponent") }
            var written = 0
            while let byte = peek(), isDigit(byte) {
                written = min(written * 10 + Int(byte - UInt8(ascii: "0")), 100_000)  // beyond that only the slow path can tell
                index += 1
            }
            exponent += negativeExponent ? -written : written
        }
        if digits <= 19, mantissa <= 1 << 53, (-22...22).contains(exponent) {
            let scale = Self.powersOfTen[abs(exponent)]
            let magnitude = exponent < 0 ? Double(mantissa) / scale : Double(mantissa) * scale
            return negative ? -magnitude : magnitude
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            index = start
            throw error("number \(text) is out of range")
        }
        return value
    }

    private static let powersOfTen: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                                1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

    /// Skips digits, adding them to `mantissa`; `count` counts them from the first nonzero
    /// one. Past 19 the mantissa stops growing (it would overflow) and the caller takes the
    /// slow path.
    private mutating func accumulateDigits(into mantissa: inout UInt64, count: inout Int) {
        while let byte = peek(), isDigit(byte) {
            if count > 0 || byte != UInt8(ascii: "0") {
                count += 1
                if count <= 19 { mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0")) }
            }
            index += 1
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(JSONParseError) {
        for byte in literal.utf8 {
            guard index < bytes.count else { throw error("unexpected end of input: the document is cut short") }
            guard bytes[index] == byte else { throw unexpected(expecting: "'\(literal)'") }
            index += 1
        }
    }

    /// `decoded` as a String; `source` is the string's raw text, searched for the bad byte
    /// only when decoding fails (escapes always decode to valid UTF-8).
    private func decodeUTF8(_ decoded: some Collection<UInt8>, source: Range<Int>) throws(JSONParseError) -> String {
        if let text = String(validating: decoded, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes[source].makeIterator()
        var offset = source.lowerBound
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) { offset += scalar.count }
        throw error("a string holds bytes that are not UTF-8", at: offset)
    }

    private mutating func skipWhitespace() {
        var i = index
        while i < bytes.count {
            let byte = bytes[i]
            // Every token starts above the space; only below it is there anything to tell apart.
            if byte > 0x20 || (byte != 0x20 && byte != 0x0A && byte != 0x0D && byte != 0x09) { break }
            i += 1
        }
        index = i
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func unexpected(expecting what: String) -> JSONParseError {
        guard index < bytes.count else { return error("unexpected end of input: the document is cut short (expected \(what))") }
        return error("expected \(what) but found \(describe(bytes[index]))")
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        let offset = offset ?? index
        let (line, column) = position(of: offset)
        return JSONParseError(message: message, line: line, column: column, offset: offset)
    }

    /// Line and column of a byte offset; columns count characters, not bytes, and a leading
    /// byte-order mark, which editors do not show, takes none.
    private func position(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? min(3, offset) : 0
        let end = min(offset, bytes.count)
        for i in 0..<end where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        let column = bytes[lineStart..<end].reduce(1) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
        return (line, column)
    }
}
