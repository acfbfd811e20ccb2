import Foundation
import OrchJSON
@testable import OrchEvalCLI
import Testing

/// The live recordings of the receipt workers (scripts/record_live_workers.sh): each run
/// replays from Cassettes/live/workers/NAME.json into the step outputs and token counts the
/// recorded run printed (Fixtures/planner/live-answers/NAME.json).
@Suite("live worker recordings replay")
struct LiveWorkerTests {
    struct Recording: Sendable, CustomStringConvertible {
        var name: String
        var plan: String
        var environment: [String: String]
        var result: JSONValue
        var description: String { name }
    }

    static let setups: [String: [String: String]] = [
        "large-only": ["SMALL_MODEL_BACKEND": "planner", "PLANNER_PROVIDER": "openai-compatible", "PLANNER_MODEL": "qwen2.5-coder-1.5b-instruct"],
        "two-model": ["SMALL_MODEL_BACKEND": "openai-compatible", "WORKER_MODEL_URL": "http://127.0.0.1:8082/v1",
                      "WORKER_MODEL": "qwen2.5-coder-0.5b-instruct"],
    ]

    static let recordings: [Recording] = setups.keys.sorted().flatMap { setup in
        ["example_plan_hybrid", "receipts_01_05"].compactMap { plan -> Recording? in
            let name = "\(setup)-\(plan)"
            guard FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent("Cassettes/live/workers/\(name).json").path),
                  let data = try? Data(contentsOf: packageRoot.appendingPathComponent("Fixtures/planner/live-answers/\(name).json")),
                  let result = try? JSONValue(parsing: data) else { return nil }
            let environment = setups[setup]!.merging(["OCR_MODE": "fixture", "USE_SMALL_MODEL": "true",
                                                      "LOCAL_MODEL_URL": "http://127.0.0.1:8081/v1"]) { a, _ in a }
            return Recording(name: name, plan: "Fixtures/plans/\(plan).json", environment: environment, result: result)
        }
    }

    @Test("a replay gives the recorded step outputs, methods and token counts", arguments: recordings)
    func replays(_ recording: Recording) async throws {
        let (_, out, err) = await orchEval(["exec", recording.plan, "--json", "--max-concurrency", "1", "--default-timeout", "900",
                                            "--cassette", "Cassettes/live/workers/\(recording.name).json"],
                                           environment: recording.environment)
        let replayed = try JSONValue(parsing: out)
        #expect(replayed["status"] == recording.result["status"], "\(err)")
        for (id, step) in recording.result["steps"]?.objectValue ?? [:] {
            #expect(replayed["steps"]?[id]?["output"] == step["output"], "step \(id)")
            #expect(replayed["steps"]?[id]?["metadata"]?["method"] == step["metadata"]?["method"], "step \(id)")
        }
        for key in ["calls", "input_tokens", "output_tokens"] {
            #expect(replayed["usage"]?["total"]?[key] == recording.result["usage"]?["total"]?[key], "\(key)")
        }
    }
}
