/// A document that is not JSON, located by line and column (both counted from 1).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int
    /// Byte offset of the problem from the start of the document.
    public var offset: Int

    public var description: String { "line \(line), column \(column): \(message)" }
}
