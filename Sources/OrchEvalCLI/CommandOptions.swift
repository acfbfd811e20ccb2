import OrchJSON

/// One option of a subcommand: its name, whether it takes a value, and its help line.
/// A table of these both parses the command line and prints `--help`, so the two cannot drift.
struct OptionSpec: Sendable {
    /// `--name`; a value option is given as `--name VALUE` or `--name=VALUE`.
    var name: String
    /// The value's placeholder in the help (`FILE`, `N`); nil for a flag.
    var value: String?
    /// The help text; continuation lines are indented under the first.
    var help: String
    /// Whether the option may be given more than once (values are kept in order).
    var repeatable = false

    static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, value: nil, help: help)
    }

    static func value(_ name: String, _ placeholder: String, _ help: String, repeatable: Bool = false) -> OptionSpec {
        OptionSpec(name: name, value: placeholder, help: help, repeatable: repeatable)
    }
}

/// A subcommand's command-line shape: positional arguments, options and the text around them.
///
/// ```swift
/// static let spec = CommandSpec(
///     synopsis: "orch-eval ask PROMPT [options]", summary: "Asks one model one question.",
///     positionals: 1...1, positionalName: "the prompt",
///     options: [.flag("--json", "Print the answer as JSON."), .value("--model", "NAME", "The model.")])
/// let arguments = try spec.parse(["hello", "--json"])   // arguments.flag("--json") == true
/// ```
struct CommandSpec: Sendable {
    var synopsis: String
    var summary: String
    /// How many positional arguments the command takes.
    var positionals: ClosedRange<Int> = 0...0
    /// What the positionals are, for the "missing …" message (`"the plan file"`).
    var positionalName = "argument"
    var options: [OptionSpec]
    /// Text after the options: environment variables, exit codes.
    var footer = ""

    /// The `--help` text: synopsis, summary, the option table (with `-h, --help` added) and footer.
    var usage: String {
        let rows = options.map { option in (option.value.map { "\(option.name) \($0)" } ?? option.name, option.help) }
            + [("-h, --help", "Show this help.")]
        let width = min(28, rows.map(\.0.count).max() ?? 0) + 2
        var text = "USAGE: \(synopsis)\n\n\(summary)\n\nOPTIONS:\n"
        for (label, help) in rows {
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
            let pad = String(repeating: " ", count: 2 + width)
            if label.count + 2 > width {
                text += "  \(label)\n"
                text += lines.map { pad + $0 }.joined(separator: "\n") + "\n"
            } else {
                text += "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + (lines.first ?? "") + "\n"
                text += lines.dropFirst().map { pad + $0 + "\n" }.joined()
            }
        }
        return text + (footer.isEmpty ? "" : "\n" + footer.trimmingTrailingNewlines + "\n") + "\n"
    }

    /// Parses `arguments`. Throws `UsageError.help` for `-h`/`--help`, and a `UsageError` naming
    /// the option for anything unusable. `--` ends the options.
    func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var rest = arguments[...]
        var optionsEnded = false
        while let argument = rest.popFirst() {
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" || Double(argument) != nil {
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" { optionsEnded = true; continue }
            if argument == "-h" || argument == "--help" { throw .help }
            let (name, inline) = Self.split(argument)
            guard let option = options.first(where: { $0.name == name }) else {
                throw UsageError("unknown option '\(name)'" + suggestion(for: name))
            }
            guard let placeholder = option.value else {
                guard inline == nil else { throw UsageError("\(name) takes no value") }
                parsed.flags.insert(name)
                continue
            }
            // `--out --json` is a forgotten value, not a file named "--json"; negative numbers pass.
            guard let value = inline ?? rest.first.flatMap({ $0.hasPrefix("-") && Double($0) == nil ? nil : $0 }) else {
                throw UsageError("\(name) needs a value (\(placeholder))")
            }
            if inline == nil { rest.removeFirst() }
            if !option.repeatable, parsed.values[name] != nil { throw UsageError("\(name) is given twice") }
            parsed.values[name, default: []].append(value)
        }
        guard parsed.positionals.count >= positionals.lowerBound else { throw UsageError("missing \(positionalName)") }
        guard parsed.positionals.count <= positionals.upperBound else {
            let extra = parsed.positionals.dropFirst(positionals.upperBound).map { "'\($0)'" }.joined(separator: ", ")
            throw UsageError("unexpected argument \(extra)")
        }
        return parsed
    }

    /// Parses `arguments` and turns them into the command's options with `make`, or writes the
    /// help (exit 0) or the error followed by the usage (exit 2).
    func parse<Options>(_ arguments: [String], io: CommandIO,
                        as make: (ParsedArguments) throws(UsageError) -> Options) -> Result<Options, CommandExit> {
        do {
            return .success(try make(try parse(arguments)))
        } catch {
            if error.isHelp {
                io.out(usage)
                return .failure(CommandExit(code: ExitStatus.success))
            }
            io.err("Error: \(error.message)\n\n" + usage)
            return .failure(CommandExit(code: ExitStatus.usage))
        }
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private func suggestion(for name: String) -> String {
        let close = options.map(\.name).filter { $0.hasPrefix(name) || name.hasPrefix($0) || editDistance($0, name) <= 2 }
        return close.isEmpty ? "" : "; did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?"
    }
}

/// The exit code of a command that ended while parsing its arguments (help, or a usage error).
struct CommandExit: Error {
    var code: Int32
}

/// The result of `CommandSpec.parse`: positionals in order, flags given, values per option.
struct ParsedArguments: Sendable {
    var positionals: [String] = []
    var flags: Set<String> = []
    var values: [String: [String]] = [:]

    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The option's value (the last one for a repeatable option), or nil when not given.
    func value(_ name: String) -> String? { values[name]?.last }

    /// Every value of a repeatable option, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// The option's value as a whole number in `range`, or nil when not given.
    func integer(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(UsageError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError("\(name) needs a whole number" + Self.describe(range) + ", got '\(text)'")
        }
        return number
    }

    /// The option's value as a finite number in `range`, or nil when not given. A trailing `%`
    /// divides by 100 (`5%` is 0.05).
    func number(_ name: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws(UsageError) -> Double? {
        guard let text = value(name) else { return nil }
        let percent = text.hasSuffix("%")
        guard let parsed = Double(percent ? String(text.dropLast()) : text), parsed.isFinite,
              range.contains(percent ? parsed / 100 : parsed) else {
            throw UsageError("\(name) needs a number between \(range.lowerBound) and \(range.upperBound), got '\(text)'")
        }
        return percent ? parsed / 100 : parsed
    }

    /// The option's value, which must be one of `choices`, or nil when not given.
    func choice(_ name: String, of choices: [String]) throws(UsageError) -> String? {
        guard let text = value(name) else { return nil }
        guard choices.contains(text) else {
            throw UsageError("\(name) must be one of \(choices.joined(separator: ", ")); got '\(text)'")
        }
        return text
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (Int.min, Int.max): ""
        case (let low, Int.max): " ≥ \(low)"
        case (let low, let high): " from \(low) to \(high)"
        }
    }
}

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
