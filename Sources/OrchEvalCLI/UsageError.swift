/// A command line that cannot be used, or a request for help.
struct UsageError: Error {
    var message: String
    var isHelp = false

    init(_ message: String) { self.message = message }

    static let help: UsageError = {
        var error = UsageError("help requested")
        error.isHelp = true
        return error
    }()
}
