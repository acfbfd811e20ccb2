import Foundation

/// When a cassette transport may go to the network and record. Named like
/// swift-snapshot-testing's record modes.
public enum RecordMode: String, Sendable, CaseIterable {
    /// Replay only; a request with no recorded interaction is an error. For CI.
    case never
    /// Record everything if the cassette file does not exist yet; otherwise behave like `never`.
    case once
    /// Replay what is recorded; send and record the rest.
    case missing
    /// Ignore what is recorded: send every request and write a fresh cassette.
    case all

    /// Overrides the mode given in code: `ORCH_RECORD=missing swift test`.
    public static let environmentVariable = "ORCH_RECORD"
    /// When the `CI` variable is set, recording is refused unless this one is `1`.
    public static let forceVariable = "ORCH_RECORD_FORCE"

    /// The mode in force: `ORCH_RECORD` when set (any case, surrounding space ignored), else `mode`.
    public static func resolve(_ mode: RecordMode, environment: [String: String], file: String) throws(CassetteError) -> RecordMode {
        guard let text = environment[environmentVariable], case let value = text.trimmingCharacters(in: .whitespacesAndNewlines),
              !value.isEmpty else { return mode }
        guard let override = RecordMode(rawValue: value.lowercased()) else {
            throw CassetteError(.badConfiguration, file: file,
                                "\(environmentVariable)=\(text) is not a record mode; use one of never, once, missing, all")
        }
        return override
    }

    /// Why recording is not allowed in this environment, or nil when it is.
    static func refusal(environment: [String: String]) -> String? {
        guard let ci = environment["CI"], !ci.isEmpty, ci.lowercased() != "false", ci != "0" else { return nil }
        guard environment[forceVariable] != "1" else { return nil }
        return "recording is refused because CI is set (CI must replay committed cassettes); record locally and commit the cassette, or set \(forceVariable)=1 to record anyway"
    }
}
