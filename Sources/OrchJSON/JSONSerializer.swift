import Foundation

extension JSONValue {
    /// How `serialized` lays text out. Object keys are always sorted, so equal values give
    /// byte-equal text: canonical for matching, stable for diffs.
    public enum Layout: Sendable {
        /// One line, no spaces: the canonical form.
        case compact
        /// Two-space indents, one member per line, `"key" : value`-free (`"key": value`).
        case pretty
    }

    /// The value as JSON text. NaN and infinity, which JSON cannot express, are written as
    /// `null`; code that may produce them should check first (function results are checked
    /// by the registry).
    public func serialized(_ layout: Layout = .compact) -> String {
        JSONWriter.withText(of: self, pretty: layout == .pretty) { String(decoding: $0, as: UTF8.self) }
    }

    /// The value as UTF-8 JSON bytes.
    public func serializedData(_ layout: Layout = .compact) -> Data {
        JSONWriter.withText(of: self, pretty: layout == .pretty) { Data(buffer: $0) }
    }

    /// The value as UTF-8 JSON bytes in an array.
    public func serializedBytes(_ layout: Layout = .compact) -> [UInt8] {
        JSONWriter.withText(of: self, pretty: layout == .pretty) { Array($0) }
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { serialized() }
}
