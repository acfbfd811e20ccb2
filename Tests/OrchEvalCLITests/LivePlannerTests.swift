import Foundation
import OrchJSON
@testable import OrchEvalCLI
import Testing

/// The live recordings of the local 1.5B planner (scripts/record_live_planner.sh): each
/// request of Fixtures/planner/requests.json replays from Cassettes/live/planner/ID.json into
/// exactly the answer `plan --json` printed when it was recorded (Fixtures/planner/live-answers).
@Suite("live planner recordings replay")
struct LivePlannerTests {
    struct Recording: Sendable, CustomStringConvertible {
        var id: String
        var request: String
        var answer: JSONValue
        var description: String { id }
    }

    /// The recordings whose every call got an answer (a call that timed out left nothing to replay).
    static let recordings: [Recording] = {
        guard let requests = try? JSONValue(parsing: Data(contentsOf: packageRoot.appendingPathComponent("Fixtures/planner/requests.json"))) else { return [] }
        return (requests.arrayValue ?? []).compactMap { entry in
            guard let id = entry["id"]?.stringValue, let request = entry["request"]?.stringValue,
                  FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent("Cassettes/live/planner/\(id).json").path),
                  let data = try? Data(contentsOf: packageRoot.appendingPathComponent("Fixtures/planner/live-answers/\(id).json")),
                  let answer = try? JSONValue(parsing: data),
                  answer["calls"]?.arrayValue?.allSatisfy({ $0["usage"] != .null }) == true else { return nil }
            return Recording(id: id, request: request, answer: answer)
        }
    }()

    @Test("a replay gives the recorded plan, rounds, problems, notes and token counts", arguments: recordings)
    func replays(_ recording: Recording) async throws {
        let (status, out, err) = await orchEval(
            ["plan", recording.request, "--provider", "openai-compatible", "--model", "qwen2.5-coder-1.5b-instruct",
             "--cassette", "Cassettes/live/planner/\(recording.id).json", "--json"],
            environment: ["OCR_MODE": "fixture", "LOCAL_MODEL_URL": "http://127.0.0.1:8081/v1"])
        let replayed = try JSONValue(parsing: out)
        for key in ["plan", "rounds", "problems", "notes"] {
            #expect(replayed[key] == recording.answer[key], "\(key); stderr: \(err)")
        }
        #expect(replayed["calls"]?.arrayValue?.map { $0["usage"] } == recording.answer["calls"]?.arrayValue?.map { $0["usage"] })
        #expect(status == (recording.answer["problems"] == [] ? 0 : 1))
    }
}
