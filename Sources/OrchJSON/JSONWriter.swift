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
            // Sorted pairs rather than sorted keys: no second hash lookup per member.
            for (i, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                newline()
                write(member.key)
                if pretty { append(": ") } else { bytes.append(UInt8(ascii: ":")) }
                write(member.value)
            }
            indent -= 1
            newline()
            bytes.append(UInt8(ascii: "}"))
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
            var runStart = 0
            for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
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
            bytes.append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
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
