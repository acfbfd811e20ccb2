import Foundation
import OrchJSON
import Sandbox

/// `orch-eval doctor`: what this machine offers the orchestrator: the Python interpreter and
/// which sandbox layers are active for code_exec, and whether Tesseract is there for local OCR.
/// Exits 1 when python3 is missing (code_exec cannot run), 0 otherwise.
public enum DoctorCommand {
    static let usage = """
        USAGE: orch-eval doctor [--json]

        Reports whether python3 and tesseract are installed and which code_exec sandbox layers
        are active on this machine (some depend on what the kernel allows).

        OPTIONS:
          --json        Print the report as JSON on stdout.
          -h, --help    Show this help.

        """

    public static func run(_ arguments: [String], io: CommandIO) async -> Int32 {
        var asJSON = false
        for argument in arguments {
            switch argument {
            case "--json": asJSON = true
            case "-h", "--help":
                io.out(usage)
                return ExitStatus.success
            default:
                io.err("Error: unknown option '\(argument)' for doctor.\n\n" + usage)
                return ExitStatus.usage
            }
        }
        let sandbox = Result { () throws(SandboxError) in
            try PythonSandbox.probe(configuration: SandboxConfiguration(poolSize: 1, environment: io.environment))
        }
        let tesseract = TesseractCheck.run(environment: io.environment)
        io.out(asJSON ? json(sandbox: sandbox, tesseract: tesseract).serialized(.pretty) + "\n"
                      : text(sandbox: sandbox, tesseract: tesseract))
        if case .failure = sandbox { return ExitStatus.failure }
        return ExitStatus.success
    }

    private static func text(sandbox: Result<SandboxLayers, SandboxError>, tesseract: TesseractCheck) -> String {
        var lines: [String] = []
        switch sandbox {
        case .success(let layers):
            lines.append("python3:   \(layers.pythonExecutable) (Python \(layers.pythonVersion))")
        case .failure(let error) where error.code == "python_unavailable":
            lines.append("python3:   MISSING: \(error.description)")
        case .failure(let error):
            lines.append("python3:   found, but the code_exec sandbox cannot start: \(error.description)")
        }
        lines.append("tesseract: " + (tesseract.path.map { "\($0) (\(tesseract.version ?? "version unknown"))" }
            ?? "not found: receipt_ocr cannot run locally; install it (Debian: apt-get install tesseract-ocr)"))
        if case .success(let layers) = sandbox {
            lines.append("")
            lines.append("code_exec sandbox layers (\(layers.activeLayers.count) of \(layers.statuses.count) active):")
            let width = layers.statuses.map(\.layer.rawValue.count).max() ?? 0
            for status in layers.statuses {
                let name = status.layer.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                lines.append("  [\(status.active ? "on " : "off")] \(name)  \(status.detail)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func json(sandbox: Result<SandboxLayers, SandboxError>, tesseract: TesseractCheck) -> JSONValue {
        var report: [String: JSONValue] = [
            "tesseract": [
                "found": .bool(tesseract.path != nil),
                "path": tesseract.path.map(JSONValue.string) ?? .null,
                "version": tesseract.version.map(JSONValue.string) ?? .null,
            ],
        ]
        switch sandbox {
        case .success(let layers):
            report["python"] = ["found": true, "path": .string(layers.pythonExecutable), "version": .string(layers.pythonVersion)]
            report["sandbox_layers"] = .array(layers.statuses.map {
                ["layer": .string($0.layer.rawValue), "active": .bool($0.active), "detail": .string($0.detail)]
            })
        case .failure(let error):
            // Only a missing interpreter is "not found"; anything else is a sandbox that cannot start.
            report["python"] = ["found": .bool(error.code != "python_unavailable"),
                                "error": .string(error.description), "error_code": .string(error.code)]
        }
        return .object(report)
    }
}

/// Finds `tesseract` on PATH and asks it for its version.
struct TesseractCheck {
    var path: String?
    var version: String?

    static func run(environment: [String: String]) -> TesseractCheck {
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        guard let path = searchPath.split(separator: ":").map({ "\($0)/tesseract" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return TesseractCheck()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            return TesseractCheck(path: path)
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let firstLine = String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init)
        return TesseractCheck(path: path, version: firstLine)
    }
}
