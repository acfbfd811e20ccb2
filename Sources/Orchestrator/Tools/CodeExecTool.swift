import OrchJSON
import Sandbox

/// The `code_exec` tool: runs a step's Python `code` against its `input_data` in the sandbox
/// (the seed's contract: the code reads `input`, sets `output`; the step's output is
/// `{"output": …}`). The step's `timeout_s` becomes the job's wall-clock limit; an optional
/// `memory_mb` sets its memory limit. Both are clamped to `SandboxLimits`.
///
/// Failures become `ToolError`s with the sandbox's code (`python_error`, `sandbox_rejected`,
/// `timeout`, `memory_limit`, `non_json_output`, …), a message with the Python exception type,
/// message and line, and the same facts in `details`. The metadata of a successful step names
/// the sandbox layers that were active, and carries what the code printed.
public struct CodeExecTool: StepTool {
    /// One pool for every `CodeExecTool` that is not given its own.
    public static let sharedSandbox = PythonSandbox()

    public let descriptor = ToolDescriptor(
        name: "code_exec",
        kind: .codeExec,
        description: "Runs a short Python 3 snippet in a sandbox. The code reads the variable `input` (the step's input_data) and must set `output` to a JSON value. Only the modules math, statistics, json, re, datetime, decimal, fractions, collections, itertools, functools and string can be imported; no files, network or processes.",
        inputSchema: [
            "type": "object",
            "properties": [
                "code": ["type": "string", "description": "Python code that reads `input` and sets `output`."],
                "input_data": ["description": "Any JSON value; the code sees it as `input`."],
                "memory_mb": ["type": "integer", "minimum": 1, "description": "Memory limit in MiB (optional)."],
            ],
            "required": ["code"],
        ],
        summary: "Runs Python that reads `input` (the input_data) and sets `output`. Returns {output}.")

    public let sandbox: PythonSandbox

    public init(sandbox: PythonSandbox = CodeExecTool.sharedSandbox) {
        self.sandbox = sandbox
    }

    public func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        guard let code = input["code"]?.stringValue else {
            throw ToolError(code: "invalid_input",
                            message: "Step '\(context.stepID)': code_exec needs a string field 'code' holding Python that sets `output`.")
        }
        var memoryBytes: Int?
        if let memory = input["memory_mb"], memory != .null {
            guard let megabytes = memory.intValue, megabytes >= 1 else {
                throw ToolError(code: "invalid_input",
                                message: "Step '\(context.stepID)': code_exec's 'memory_mb' must be a whole number of MiB, 1 or more; it is \(memory.serialized(.compact)).")
            }
            // Clamped before the shift, which would otherwise overflow for huge values.
            memoryBytes = min(megabytes, SandboxLimits.maxMemoryBytes >> 20) << 20
        }
        let job = SandboxJob(code: code, input: input["input_data"] ?? .null, timeout: context.timeout, memoryLimitBytes: memoryBytes)
        do {
            let result = try await sandbox.run(job)
            var metadata: [String: JSONValue] = [
                "sandbox": result.layers.json,
                "elapsed_ms": .number(result.elapsed.milliseconds),
            ]
            if !result.stdout.isEmpty { metadata["stdout"] = .string(result.stdout) }
            if !result.stderr.isEmpty { metadata["stderr"] = .string(result.stderr) }
            return ToolOutput(["output": result.output], metadata: metadata)
        } catch {
            throw ToolError(code: error.code, message: "Step '\(context.stepID)': \(error.description)",
                            details: error.details, retryable: error.isRetryable)
        }
    }
}

extension SandboxError {
    /// Only a failure of the machinery can go away on a second try; the code's own errors cannot.
    var isRetryable: Bool {
        if case .serverFailure = self { return true }
        return false
    }
}

extension Duration {
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
