@testable import OrchEvalCLI
import Testing

@Suite("The option table parses a command line and prints its help")
struct CommandOptionsTests {
    let spec = CommandSpec(
        synopsis: "orch-eval demo FILE [options]", summary: "A demo.",
        positionals: 1...1, positionalName: "the input file",
        options: [
            .flag("--json", "Print JSON."),
            .value("--model", "NAME", "The model."),
            .value("--max-cost-increase", "PERCENT", "Allowed increase."),
            .value("--tag", "TAG", "A tag; repeat for more.", repeatable: true),
        ])

    @Test("flags, values in both spellings, repeated values and positionals come out in order")
    func parses() throws {
        let parsed = try spec.parse(["in.json", "--json", "--model=gpt-4o", "--tag", "a", "--tag", "b", "--max-cost-increase", "5%"])
        #expect(parsed.positionals == ["in.json"])
        #expect(parsed.flag("--json"))
        #expect(parsed.value("--model") == "gpt-4o")
        #expect(parsed.all("--tag") == ["a", "b"])
        #expect(try parsed.number("--max-cost-increase") == 0.05)
    }

    @Test("unusable command lines name the option and what is wrong",
          arguments: [
            (["in.json", "--modle", "x"], "unknown option '--modle'; did you mean '--model'?"),
            (["in.json", "--model"], "--model needs a value (NAME)"),
            (["in.json", "--model", "--json"], "--model needs a value (NAME)"),
            (["in.json", "--json=yes"], "--json takes no value"),
            (["in.json", "--model", "a", "--model", "b"], "--model is given twice"),
            ([], "missing the input file"),
            (["a.json", "b.json"], "unexpected argument 'b.json'"),
          ])
    func rejects(_ arguments: [String], _ message: String) {
        #expect(throws: UsageError.self) { try spec.parse(arguments) }
        do { _ = try spec.parse(arguments) } catch { #expect(error.message == message) }
    }

    @Test("-h and --help ask for the help, which lists every option once and --help last")
    func help() throws {
        #expect((try? spec.parse(["-h"])) == nil)
        do { _ = try spec.parse(["x", "--help"]) } catch { #expect(error.isHelp) }
        let lines = spec.usage.split(separator: "\n")
        #expect(lines.first == "USAGE: orch-eval demo FILE [options]")
        #expect(lines.filter { $0.contains("--model NAME") }.count == 1)
        #expect(lines.last?.contains("-h, --help") == true)
    }

    @Test("-- ends the options, and a negative number is a value, not an option")
    func dashes() throws {
        let parsed = try spec.parse(["--", "--json"])
        #expect(parsed.positionals == ["--json"] && !parsed.flag("--json"))
        #expect(try spec.parse(["f", "--max-cost-increase", "-3"]).number("--max-cost-increase") == -3)
    }
}
