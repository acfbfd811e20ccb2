import Foundation

/// Where a command writes: machine output to `out`, messages and progress to `err`. Tests
/// pass a capturing instance; the executable passes `.standard`.
public struct CommandIO: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void
    /// Whether stderr is a terminal (progress lines are only drawn there).
    public var errIsTerminal: Bool
    /// Environment the command reads configuration from.
    public var environment: [String: String]

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
                errIsTerminal: Bool = false, environment: [String: String] = [:]) {
        self.out = out
        self.err = err
        self.errIsTerminal = errIsTerminal
        self.environment = environment
    }

    public static var standard: CommandIO {
        CommandIO(
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            err: { FileHandle.standardError.write(Data($0.utf8)) },
            errIsTerminal: isatty(FileHandle.standardError.fileDescriptor) != 0,
            environment: ProcessInfo.processInfo.environment
        )
    }
}

/// The exit codes every subcommand uses.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// A step failed, a check found problems, or a comparison found a regression.
    public static let failure: Int32 = 1
    /// The command line or an input file cannot be used.
    public static let usage: Int32 = 2
}
