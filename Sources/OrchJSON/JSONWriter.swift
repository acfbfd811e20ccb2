/// Writes JSON text as UTF-8 straight into one growing byte buffer, so that no node of the
/// value becomes a `String` of its own on the way (the serializer was a fifth of
/// `exec --json`). The buffer is raw memory: `Array.append(contentsOf:)` cost about 100
/// instructions a call, more than most strings it copied.
struct JSONWriter {
    private var bytes: ByteBuffer
    private let pretty: Bool
    private var indent = 0

    /// Calls `body` with the text of `value`; the bytes are valid only during the call.
    static func withText<R>(of value: JSONValue, pretty: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var writer = JSONWriter(bytes: ByteBuffer(capacity: 4096), pretty: pretty)
        defer { writer.bytes.deallocate() }
        writer.write(value)
        return body(writer.bytes.contents)
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .number(let n): write(n)
        case .string(let s): write(s)
        case .array(let elements):
            guard !elements.isEmpty else { append("[]"); return }
            bytes.append(UInt8(ascii: "["))
            indent += 1
            for (i, element) in elements.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                newline()
                write(element)
            }
            indent -= 1
            newline()
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { append("{}"); return }
            bytes.append(UInt8(ascii: "{"))
            indent += 1
            Self.withSortedMembers(members) { sorted in
                for i in sorted.indices {
                    if i > 0 { bytes.append(UInt8(ascii: ",")) }
                    newline()
                    write(sorted[i].key)
                    if pretty { append(": ") } else { bytes.append(UInt8(ascii: ":")) }
                    write(sorted[i].value)
                }
            }
            indent -= 1
            newline()
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Calls `body` with the members sorted by key, in scratch memory on the stack where they
    /// fit: `sorted(by:)` allocated an array and ran a stable merge sort, a fifth of the time.
    /// Keys are unique, so a few members need no more than an insertion sort.
    private static func withSortedMembers(_ members: [String: JSONValue], _ body: (UnsafeMutableBufferPointer<(key: String, value: JSONValue)>) -> Void) {
        withUnsafeTemporaryAllocation(of: (key: String, value: JSONValue).self, capacity: members.count) { sorted in
            let base = sorted.baseAddress!
            // Member by member: `deinitialize(count:)` destroyed each tuple through its
            // generic metadata, at a few hundred instructions an object.
            func release(_ count: Int) { for i in 0..<count { _ = (base + i).move() } }
            guard members.count <= 16 else {
                _ = sorted.initialize(from: members)
                defer { release(members.count) }
                var all = sorted
                all.sort { $0.key < $1.key }
                return body(sorted)
            }
            var count = 0
            for member in members {
                var at = count
                while at > 0, member.key < base[at - 1].key { at -= 1 }
                (base + at + 1).moveInitialize(from: base + at, count: count - at)
                (base + at).initialize(to: member)
                count += 1
            }
            defer { release(count) }
            body(sorted)
        }
    }

    /// Whole numbers up to 2^53 print as integers (`-0` as `0`); others in Swift's shortest
    /// round-trip form (`0.1`, `1e-07`, `9.007199254740994e+15`). JSON has no NaN or
    /// infinity: they print as `null`, as JavaScript's `JSON.stringify` does, rather than as
    /// Swift's `nan`/`inf`, which no JSON parser reads.
    mutating func write(_ number: Double) {
        guard number.isFinite else { append("null"); return }
        guard number.rounded(.towardZero) == number, number.magnitude <= 9_007_199_254_740_992 else {
            var text = number.description
            text.withUTF8 { bytes.append($0) }
            return
        }
        let integer = Int64(number)  // -0 becomes 0
        if integer < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = integer.magnitude
        var digits = 1
        while rest >= 10 { rest /= 10; digits += 1 }
        let end = bytes.appendUninitialized(digits) + digits
        rest = integer.magnitude
        for offset in stride(from: end - 1, through: end - digits, by: -1) {
            bytes[offset] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
    }

    /// Escapes `"`, `\` and control characters; everything else, including non-ASCII, is
    /// copied as UTF-8 in runs between escapes (UTF-8 continuation bytes are never < 0x80).
    mutating func write(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return }
            var runStart = 0
            var i = 0
            while i < utf8.count {
                // Eight bytes at a time while none of them needs an escape.
                if i + 8 <= utf8.count, !JSONBytes.mayNeedEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
                let byte = base[i]
                i += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(UnsafeBufferPointer(start: base + runStart, count: i - 1 - runStart))
                runStart = i
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    append("u00")
                    bytes.append(hex.utf8Start[Int(byte >> 4)])
                    bytes.append(hex.utf8Start[Int(byte & 0xF)])
                }
            }
            bytes.append(UnsafeBufferPointer(start: base + runStart, count: utf8.count - runStart))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func newline() {
        guard pretty else { return }
        bytes.append(0x0A)
        let start = bytes.appendUninitialized(2 * indent)
        for offset in start..<start + 2 * indent { bytes[offset] = UInt8(ascii: " ") }
    }

    private mutating func append(_ text: StaticString) {
        bytes.append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}

/// A growable run of bytes in raw memory, owned by whoever made it (who must `deallocate`).
private struct ByteBuffer {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        base = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    var contents: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    subscript(offset: Int) -> UInt8 {
        get { base[offset] }
        set { base[offset] = newValue }
    }

    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: 1) }
        base[count] = byte
        count += 1
    }

    mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard let source = run.baseAddress, run.count > 0 else { return }
        if capacity - count < run.count { grow(toHold: run.count) }
        (base + count).update(from: source, count: run.count)
        count += run.count
    }

    /// Makes room for `extra` bytes the caller then sets through the subscript; returns where they start.
    mutating func appendUninitialized(_ extra: Int) -> Int {
        if capacity - count < extra { grow(toHold: extra) }
        defer { count += extra }
        return count
    }

    func deallocate() { base.deallocate() }

    private mutating func grow(toHold extra: Int) {
        let newCapacity = max(capacity * 2, count + extra)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        (base, capacity) = (newBase, newCapacity)
    }
}
