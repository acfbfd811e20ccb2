import Foundation

/// Finds where values sit in a JSON document without building them: the byte ranges of the
/// top-level object's members and of the elements of one array member. Lets a large cassette
/// be indexed while holding only its bytes, parsing one interaction at a time.
enum JSONSkim {
    struct Failure: Error {
        var offset: Int
        var message: String
    }

    struct Layout {
        var members: [String: Range<Int>]
        var elements: [Range<Int>]
    }

    static func layout(of data: Data, arrayMember: String) throws(Failure) -> Layout {
        let result: Result<Layout, Failure> = data.withUnsafeBytes { raw in
            var skimmer = Skimmer(bytes: raw)
            do throws(Failure) {
                return .success(try skimmer.topLevel(arrayMember: arrayMember))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Line and column (from 1) of a byte offset, for messages.
    static func position(of offset: Int, in data: Data) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0
        for (i, byte) in data.prefix(offset).enumerated() where byte == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }

    private struct Skimmer {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        }

        mutating func topLevel(arrayMember: String) throws(Failure) -> Layout {
            var layout = Layout(members: [:], elements: [])
            skipWhitespace()
            try expect(UInt8(ascii: "{"), "the document must be a JSON object")
            skipWhitespace()
            if peek == UInt8(ascii: "}") { i += 1; return try end(layout) }
            while true {
                skipWhitespace()
                let keyStart = i
                try skipString()
                let key = String(decoding: bytes[(keyStart + 1)..<(i - 1)], as: UTF8.self)
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "expected ':' after member name \"\(key)\"")
                skipWhitespace()
                let valueStart = i
                if key == arrayMember && peek == UInt8(ascii: "[") {
                    layout.elements = try elements()
                } else {
                    try skipValue()
                }
                layout.members[key] = valueStart..<i
                skipWhitespace()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "}"), "expected ',' or '}' in the top-level object")
                return try end(layout)
            }
        }

        private mutating func end(_ layout: Layout) throws(Failure) -> Layout {
            skipWhitespace()
            guard i == bytes.count else { throw Failure(offset: i, message: "unexpected text after the end of the document") }
            return layout
        }

        private mutating func elements() throws(Failure) -> [Range<Int>] {
            i += 1
            var ranges: [Range<Int>] = []
            skipWhitespace()
            if peek == UInt8(ascii: "]") { i += 1; return ranges }
            while true {
                skipWhitespace()
                let start = i
                try skipValue()
                ranges.append(start..<i)
                skipWhitespace()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "]"), "expected ',' or ']' in an array")
                return ranges
            }
        }

        /// Skips one value; nested containers are only checked for balance here; each
        /// interaction is fully parsed (and checked) when it is read.
        private mutating func skipValue() throws(Failure) {
            guard let first = peek else { throw Failure(offset: i, message: "unexpected end of input: the document is cut short") }
            switch first {
            case UInt8(ascii: "\""): try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while i < bytes.count {
                    switch bytes[i] {
                    case UInt8(ascii: "\""): try skipString(); continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { i += 1; return }
                    default: break
                    }
                    i += 1
                }
                throw Failure(offset: i, message: "unexpected end of input: the document is cut short")
            default:
                let start = i
                while i < bytes.count, !isDelimiter(bytes[i]) { i += 1 }
                if i == start { throw Failure(offset: i, message: "unexpected character where a value was expected") }
            }
        }

        private mutating func skipString() throws(Failure) {
            guard peek == UInt8(ascii: "\"") else { throw Failure(offset: i, message: "expected a string in double quotes") }
            i += 1
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\\"): i += 2
                case UInt8(ascii: "\""): i += 1; return
                default: i += 1
                }
            }
            throw Failure(offset: bytes.count, message: "unexpected end of input inside a string: the document is cut short")
        }

        private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        private mutating func expect(_ byte: UInt8, _ message: String) throws(Failure) {
            guard peek == byte else {
                throw Failure(offset: i, message: peek == nil ? "unexpected end of input: the document is cut short" : message)
            }
            i += 1
        }

        private mutating func skipWhitespace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        private func isDelimiter(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
                || byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
        }
    }
}
