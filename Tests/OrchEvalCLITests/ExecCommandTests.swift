import Foundation
import Testing
@testable import OrchEvalCLI
import Orchestrator
import OrchJSON

/// Doubles its `n`, or fails when `n` is negative.
private struct DoubleTool: StepTool {
    let descriptor = ToolDescriptor(name: "double", kind: .function, description: "Doubles n")

    func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        let n = input["n"]?.doubleValue ?? 0
        if n < 0 { throw ToolError(code: "negative", message: "n must not be negative") }
        return ToolOutput(["n": .number(n * 2)])
    }
}

@Suite("orch-eval exec")
struct ExecCommandTests {
    let catalog = ToolCatalog([DoubleTool()])

    /// Writes `plan` to a scratch file and runs `exec` on it; nil `catalog` means the standard tools.
    func exec(_ plan: String, _ arguments: [String] = [], catalog: ToolCatalog?) async throws -> (status: Int32, printed: CapturedIO) {
        let dir = try TemporaryDirectory()
        let file = try dir.write("plan.json", plan)
        let captured = CapturedIO()
        let status = await ExecCommand.run([file] + arguments, io: captured.io(), catalog: catalog)
        return (status, captured)
    }

    @Test("--json prints the run result with status and steps keyed by id; exit 0 when all succeed")
    func jsonOutput() async throws {
        let (status, captured) = try await exec("""
            {"request_id": "r1", "steps": [
              {"id": "a", "tool": "double", "input": {"n": 2}},
              {"id": "b", "tool": "double", "input": {"n": "step:a.n"}}
            ]}
            """, ["--json"], catalog: catalog)
        #expect(status == 0)
        let json = try JSONValue(parsing: captured.out)
        #expect(json["status"] == "succeeded")
        #expect(json["steps"]?["b"]?["output"] == ["n": 8])
        #expect(json["steps"]?["b"]?["attempts"] == 1)
        #expect(captured.err.contains("note: step 'b': input.n: refers to step 'a'"))
    }

    @Test("a failed step gives exit 1 and the summary names it")
    func failedStep() async throws {
        let (status, captured) = try await exec(#"{"request_id": "r2", "steps": [{"id": "neg", "tool": "double", "input": {"n": -1}}, {"id": "ok", "tool": "double", "input": {"n": 1}}]}"#, catalog: catalog)
        #expect(status == 1)
        #expect(captured.out.hasPrefix("Plan r2: failed in "))
        #expect(captured.out.contains("FAIL neg "))
        #expect(captured.out.contains("negative: n must not be negative"))
        #expect(captured.out.contains("ok   ok "))
    }

    @Test("unusable input gives exit 2 and an error naming the file, line and column or step")
    func unusableInput() async throws {
        let dir = try TemporaryDirectory()
        let cutShort = try dir.write("cut.json", "{\"request_id\": \"r\",\n \"steps\": [")
        let invalid = try dir.write("invalid.json", #"{"request_id": "r", "steps": [{"id": "a", "tool": "tripple", "input": {}}]}"#)
        let valid = try dir.write("valid.json", #"{"request_id": "r", "steps": [{"id": "a", "tool": "double", "input": {"n": 1}}]}"#)
        let cases: [(arguments: [String], message: String)] = [
            ([dir.url.appendingPathComponent("absent.json").path], "cannot read the plan file '\(dir.url.path)/absent.json': no such file"),
            ([cutShort], "\(cutShort):2:12: not valid JSON"),
            ([invalid], "\(invalid): the plan has 1 problem:\n  - step 'a': tool: unknown tool 'tripple'"),
            ([], "missing the plan file"),
            ([dir.url.path], "cannot read the plan file '\(dir.url.path)': it is a directory; give the path of a plan file"),
            ([valid, "--idempotency-store", dir.url.path], "cannot use the idempotency store '\(dir.url.path)': it is a directory; give the path of a store file"),
            ([invalid, "--max-concurrency", "zero"], "--max-concurrency needs a whole number > 0"),
            ([valid, "--idempotency-store", "--json"], "--idempotency-store needs a value (FILE)"),
            ([invalid, "--default-timeout", "0"], "--default-timeout needs a number of seconds > 0 and ≤ 1000000000"),
            ([invalid, "--default-timeout", "1e30"], "--default-timeout needs a number of seconds > 0 and ≤ 1000000000"),
            ([invalid, "--default-timeout", "inf"], "--default-timeout needs a number of seconds > 0 and ≤ 1000000000"),
        ]
        for (arguments, message) in cases {
            let captured = CapturedIO()
            let status = await ExecCommand.run(arguments, io: captured.io(), catalog: catalog)
            #expect(status == 2, "\(arguments)")
            #expect(captured.err.contains(message), "\(captured.err)")
            #expect(captured.out.isEmpty)
        }
    }

    @Test("--json stays valid JSON when a built-in function's sum overflows to infinity; the step fails")
    func overflowingSum() async throws {
        let (status, captured) = try await exec("""
            {"request_id": "big", "steps": [{"id": "merge", "tool": "function_call",
              "input": {"name": "merge_items", "args": {"items": [{"name": "a", "total": 1e308}, {"name": "b", "total": 1e308}]}}}]}
            """, ["--json"], catalog: nil)
        #expect(status == 1)
        let json = try JSONValue(parsing: captured.out)
        // The function registry catches it first; any other tool's output is checked by the engine (invalid_output).
        #expect(json["steps"]?["merge"]?["error"]?["code"] == "function_failed")
        #expect(json["steps"]?["merge"]?["error"]?["message"] == "merge_items: the result holds infinity at 'avg_total'; JSON has no NaN or infinity")
    }

    @Test("a store file that cannot be written does not fail the run, but stderr says so")
    func unwritableStore() async throws {
        let dir = try TemporaryDirectory()
        let plan = try dir.write("plan.json", #"{"request_id": "s", "steps": [{"id": "a", "tool": "double", "input": {"n": 1}, "idempotency_key": "k"}]}"#)
        let store = dir.url.appendingPathComponent("no-such-dir/store.json").path
        let captured = CapturedIO()
        let status = await ExecCommand.run([plan, "--idempotency-store", store], io: captured.io(), catalog: catalog)
        #expect(status == 0)
        #expect(captured.err.contains("warning: step 'a': could not write the idempotency store '\(store)'"))
    }

    @Test("--help prints usage on stdout and exits 0")
    func help() async {
        let captured = CapturedIO()
        #expect(await OrchEvalCommand.main(["exec", "--help"], io: captured.io()) == 0)
        #expect(captured.out.hasPrefix("USAGE: orch-eval exec PLAN.json"))
        let top = CapturedIO()
        #expect(await OrchEvalCommand.main(["--help"], io: top.io()) == 0)
        #expect(top.out.contains("exec PLAN.json"))
        let unknown = CapturedIO()
        #expect(await OrchEvalCommand.main(["plan-it"], io: unknown.io()) == 2)
        #expect(unknown.err.hasPrefix("Error: unknown subcommand 'plan-it'."))
    }

    @Test("--progress prints a line on stderr as each step ends")
    func progress() async throws {
        let (_, captured) = try await exec(#"{"request_id": "p", "steps": [{"id": "a", "tool": "double", "input": {"n": 1}}, {"id": "b", "tool": "double", "input": {"n": -1}}]}"#, ["--progress"], catalog: catalog)
        let lines = captured.err.split(separator: "\n").map(String.init).sorted()
        #expect(lines.count == 2)
        #expect(lines.contains { $0.hasPrefix("[") && $0.contains("] ok   a (double) ") })
        #expect(lines.contains { $0.contains("] FAIL b (double) ") && $0.hasSuffix(": negative: n must not be negative") })
    }
}
