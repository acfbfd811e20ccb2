import Foundation
import OrchJSON
import Orchestrator
import Sandbox
import Testing

private let pythonAvailable = (try? PythonSandbox.probe()) != nil

@Suite(.enabled(if: pythonAvailable, "python3 is not installed; code_exec needs it"))
struct CodeExecToolTests {
    let tool = CodeExecTool()

    @Test func runsTheSeedExample() async throws {
        let input: JSONValue = ["code": "output = {'total': sum(input['values'])}", "input_data": ["values": [10, 20, 30]]]
        let result = try await tool.call(input, context: StepContext(stepID: "sum"))
        #expect(result.value == ["output": ["total": 60]])
        #expect(result.metadata["sandbox"]?["active"]?.arrayValue?.contains("static_check") == true)
    }

    @Test func printedTextGoesToMetadata() async throws {
        let result = try await tool.call(["code": "print('checked')\noutput = input", "input_data": 5], context: StepContext(stepID: "p"))
        #expect(result.value == ["output": 5])
        #expect(result.metadata["stdout"] == "checked\n")
    }

    @Test func aPythonExceptionBecomesAStepErrorWithTypeMessageAndLine() async {
        let error = await #expect(throws: ToolError.self) {
            try await tool.call(["code": "total = 0\ntotal += input['missing']", "input_data": [:]], context: StepContext(stepID: "broken"))
        }
        #expect(error?.code == "python_error")
        #expect(error?.message == "Step 'broken': The code raised KeyError at line 2: 'missing'.")
        #expect(error?.details == ["type": "KeyError", "message": "'missing'", "line": 2])
        #expect(error?.retryable == false)
    }

    @Test func hostileCodeIsRejected() async {
        let error = await #expect(throws: ToolError.self) {
            try await tool.call(["code": "output = ().__class__.__bases__[0].__subclasses__()"], context: StepContext(stepID: "walk"))
        }
        #expect(error?.code == "sandbox_rejected")
        #expect(error?.details?["line"] == 1)
    }

    @Test func theStepTimeoutBoundsTheJob() async {
        let error = await #expect(throws: ToolError.self) {
            try await tool.call(["code": "while True:\n    pass"], context: StepContext(stepID: "spin", timeout: .seconds(1)))
        }
        #expect(error?.code == "timeout")
        #expect(error?.details == ["limit_s": 1])
    }

    @Test func aNonJSONOutputIsAClearStepError() async {
        let error = await #expect(throws: ToolError.self) {
            try await tool.call(["code": "output = {1, 2}"], context: StepContext(stepID: "set"))
        }
        #expect(error?.code == "non_json_output")
        #expect(error?.message.contains("but is a set") == true)
    }

    @Test func missingCodeNamesTheStepAndField() async {
        let error = await #expect(throws: ToolError.self) {
            try await tool.call(["input_data": 1], context: StepContext(stepID: "empty"))
        }
        #expect(error?.code == "invalid_input")
        #expect(error?.message.contains("'empty'") == true)
        #expect(error?.message.contains("'code'") == true)
    }

    @Test func aHugeMemoryLimitIsClampedToTheMaximumNotWrappedToTheMinimum() async {
        // 2^43 MiB shifted into bytes overflows a 64-bit Int.
        let error = await #expect(throws: ToolError.self) {
            try await tool.call(["code": "x = bytearray(5 << 30)", "memory_mb": .number(Double(1 << 43))], context: StepContext(stepID: "big"))
        }
        #expect(error?.code == "memory_limit")
        #expect(error?.details?["limit_bytes"] == .number(Double(SandboxLimits.maxMemoryBytes)))
    }

    @Test(arguments: ["512", 0, -1, 1.5] as [JSONValue])
    func aMemoryLimitThatIsNotAPositiveWholeNumberNamesTheField(memory: JSONValue) async {
        let error = await #expect(throws: ToolError.self) {
            try await tool.call(["code": "output = 1", "memory_mb": memory], context: StepContext(stepID: "mem"))
        }
        #expect(error?.code == "invalid_input")
        #expect(error?.message.contains("'mem'") == true)
        #expect(error?.message.contains("'memory_mb'") == true)
        #expect(error?.retryable == false)
    }

    @Test func aMissingPythonIsNotRetryableAndSaysWhatToInstall() async {
        let tool = CodeExecTool(sandbox: PythonSandbox(configuration: SandboxConfiguration(environment: ["PATH": "/nonexistent"])))
        let error = await #expect(throws: ToolError.self) {
            try await tool.call(["code": "output = 1"], context: StepContext(stepID: "nopy"))
        }
        #expect(error?.code == "python_unavailable")
        #expect(error?.retryable == false)
        #expect(error?.message.hasPrefix("Step 'nopy': Python 3 is not available") == true)
        #expect(error?.details?["reason"]?.stringValue?.contains("/nonexistent") == true)
    }

    @Test func aSandboxThatCannotStartIsARetryableSandboxFailure() async throws {
        // A python3 that names /bin/false as its executable: the fork server exits at start-up.
        let fake = FileManager.default.temporaryDirectory.appendingPathComponent("orch-fake-python-\(UUID().uuidString)")
        try writeFakePython(to: fake.path)
        defer { try? FileManager.default.removeItem(at: fake) }
        let tool = CodeExecTool(sandbox: PythonSandbox(configuration: SandboxConfiguration(pythonExecutable: fake.path)))
        let error = await #expect(throws: ToolError.self) {
            try await tool.call(["code": "output = 1"], context: StepContext(stepID: "dead"))
        }
        #expect(error?.code == "sandbox_failure", "\(String(describing: error?.message))")
        #expect(error?.retryable == true)
        #expect(error?.message.hasPrefix("Step 'dead': The sandbox's Python fork server failed: /bin/false exited at start-up") == true)
    }

    @Test func describesItselfAsTheCodeExecKind() {
        #expect(tool.descriptor.name == "code_exec")
        #expect(tool.descriptor.kind == .codeExec)
        #expect(tool.descriptor.inputSchema["required"] == ["code"])
    }
}

/// Writes a `python3` stand-in that names /bin/false as its executable. Opened close-on-exec:
/// a descriptor open for writing that leaks into a process spawned meanwhile by another test
/// would make executing the script fail with "Text file busy".
private func writeFakePython(to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    let script = Array("#!/bin/sh\necho /bin/false\n".utf8)
    guard write(fd, script, script.count) == script.count else { throw POSIXError(.EIO) }
}
