/// Why a cassette could not be used: every message names the cassette file and says what to do.
public struct CassetteError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file could not be read or written.
        case io
        /// The file is not a cassette: bad JSON, a missing field, an unknown format version.
        case invalid
        /// A request had no recorded interaction left and recording was not allowed.
        case miss(alreadyUsed: Bool)
        /// Recording was needed but refused (CI without `ORCH_RECORD_FORCE=1`, or no live transport).
        case recordingRefused
        /// The cassette still held something that looks like a credential, so it was not written.
        case secretFound
        /// The recorded stream was cut off at this point when it was recorded.
        case streamInterrupted
        /// `ORCH_RECORD` held a value that is not a record mode.
        case badConfiguration
    }

    public var kind: Kind
    /// The cassette file concerned.
    public var file: String
    public var message: String

    public init(_ kind: Kind, file: String, _ message: String) {
        self.kind = kind
        self.file = file
        self.message = message
    }

    public var description: String { message }
}
