import Cassettes
import Foundation

/// `--cassette FILE --record MODE`, as `ask`, `exec` and `plan` take them: every HTTP exchange
/// of the command goes through the cassette, replayed by default.
struct CassetteChoice {
    static let options: [OptionSpec] = [
        .value("--cassette", "FILE", "Send every model and OCR exchange through this cassette:\nreplayed when recorded, recorded as --record allows."),
        .value("--record", "MODE", "never (the default), once, missing or all: when the\ncassette may record live exchanges (ORCH_RECORD overrides it)."),
    ]

    var file: String?
    var record: RecordMode

    init(_ arguments: ParsedArguments) throws(UsageError) {
        file = arguments.value("--cassette")
        let mode = try arguments.choice("--record", of: RecordMode.allCases.map(\.rawValue))
        if mode != nil, file == nil { throw UsageError("--record needs --cassette FILE") }
        record = mode.flatMap(RecordMode.init(rawValue:)) ?? .never
    }

    /// The context's live transport, or the cassette around it when one was given.
    func transport(context: CommandContext, environment: [String: String],
                   options: CassetteOptions = CassetteOptions()) throws -> any HTTPTransport {
        guard let file else { return context.transport }
        return try CassetteTransport(file: URL(fileURLWithPath: file, relativeTo: context.directory), mode: record,
                                     upstream: context.transport, options: options, environment: environment)
    }
}
