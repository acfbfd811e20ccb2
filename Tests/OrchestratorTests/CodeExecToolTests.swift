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

    @Test func describesItselfAsTheCodeExecKind() {
        #expect(tool.descriptor.name == "code_exec")
        #expect(tool.descriptor.kind == .codeExec)
        #expect(tool.descriptor.inputSchema["required"] == ["code"])
    }
}
