import Foundation
import Testing
@testable import OrchEvalCLI
import OrchJSON

/// README's and docs/plans.md's plans, run result and CLI synopsis, read from the documents
/// themselves and checked against what `orch-eval` does, so the documents cannot drift.
@Suite("docs: plans and the CLI")
struct PlansDocsExampleTests {
    private func document(_ path: String) throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// The fenced blocks of `path` whose info string is `language` (`json`, or "" for bare fences).
    private func blocks(_ path: String, _ language: String) throws -> [String] {
        var found: [String] = []
        var current: [String]?
        for line in try document(path).split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```" + language {
                current = []
            } else if let lines = current, line == "```" {
                found.append(lines.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(String(line))
            }
        }
        return found
    }

    private func keys(_ value: JSONValue?) -> Set<String> { Set(value?.objectValue?.keys.map { $0 } ?? []) }

    @Test("README's plan runs: every step succeeds, and the missing depends_on edge is a note")
    func readmePlanRuns() async throws {
        let plan = try #require(blocks("README.md", "json").first)
        let dir = try TemporaryDirectory()
        let (status, out, err) = await orchEval(["exec", try dir.write("plan.json", plan), "--json"])
        #expect(status == 0)
        let result = try JSONValue(parsing: out)
        #expect(result["status"] == "succeeded")
        #expect(result["steps"]?["tax"]?["output"] == ["result": 0.68])
        #expect(err.contains("note: step 'tax': input.args.amount: refers to step 'parse'"))
    }

    @Test("docs/plans.md's run result has the fields exec --json writes, for a succeeded and a failed step")
    func plansDocRunResultMatchesExec() async throws {
        let documented = try blocks("docs/plans.md", "json")
        try #require(documented.count == 2, "docs/plans.md: a plan, then a run result")
        // The result in the doc is for this plan with a negative amount given to `tax`.
        let plan = documented[0].replacingOccurrences(of: #""amount": "step:step-2.items.0.total""#, with: #""amount": -5"#)
        #expect(plan != documented[0])
        let expected = try JSONValue(parsing: documented[1])
        let dir = try TemporaryDirectory()

        let (status, out, _) = await orchEval(["exec", try dir.write("plan.json", plan), "--json"])
        #expect(status == 1)
        let result = try JSONValue(parsing: out)
        #expect(keys(result) == keys(expected))
        #expect(result["status"] == "failed")
        for id in ["step-1", "tax"] {
            #expect(keys(result["steps"]?[id]) == keys(expected["steps"]?[id]), "step \(id)")
        }
        #expect(keys(result["steps"]?["step-1"]?["metadata"]) == keys(expected["steps"]?["step-1"]?["metadata"]))
        #expect(keys(result["steps"]?["step-1"]?["output"]) == keys(expected["steps"]?["step-1"]?["output"]))
        #expect(result["steps"]?["tax"]?["error"] == expected["steps"]?["tax"]?["error"])
    }

    /// Each `orch-eval SUBCOMMAND` line of README's CLI synopsis names the options its `--help` lists.
    @Test("README's CLI synopsis lists exactly the options of each subcommand's --help",
          arguments: [["exec"], ["plan"], ["ask"], ["cassettes", "verify"], ["cassettes", "ls"], ["doctor"], ["run"], ["score-plan"],
                     ["compare"], ["merge"], ["reprice"]])
    func synopsisMatchesHelp(_ subcommand: [String]) async throws {
        let synopsis = try #require(blocks("README.md", "").first { $0.contains("orch-eval exec PLAN.json") })
        let prefix = (["orch-eval"] + subcommand).joined(separator: " ") + " "
        let line = try #require(synopsis.split(separator: "\n").first { $0.hasPrefix(prefix) }, "README has no '\(prefix)' line")
        let (status, help, _) = await orchEval(subcommand + ["--help"])
        #expect(status == 0)
        var helpText = help
        if subcommand.first == "cassettes" {
            // One help covers both; --usage-log is verify's alone.
            let verifyOnly = help.contains("--usage-log") && subcommand.last == "ls"
            if verifyOnly { helpText = help.replacingOccurrences(of: "--usage-log", with: "") }
        }
        #expect(try options(in: String(line)) == options(in: helpText).subtracting(["--help"]))
    }

    private func options(in text: String) throws -> Set<String> {
        let pattern = try NSRegularExpression(pattern: "--[a-z][a-z-]*")
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }
}
