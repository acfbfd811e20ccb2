import Foundation
import Testing
@testable import OrchEvalCLI
import OrchJSON

/// The plans in Fixtures/plans/features/ each show one engine feature through the CLI.
@Suite("Feature plans")
struct FeaturePlanTests {
    func run(_ name: String, _ extra: [String] = []) async throws -> (status: Int32, result: JSONValue, err: String) {
        let (status, out, err) = await orchEval(["exec", fixture("Fixtures/plans/features/\(name).json"), "--json"] + extra)
        return (status, try JSONValue(parsing: out), err)
    }

    @Test("references select fields and array elements of earlier outputs; implied dependencies are noted")
    func references() async throws {
        let (status, result, err) = try await run("references")
        #expect(status == 0)
        #expect(result["steps"]?["first-item-tax"]?["output"] == ["result": 0.35])
        #expect(result["steps"]?["bagels-only"]?["output"]?["result"]?["total_sum"] == 5)
        #expect(err.contains("note: step 'first-item-tax': input.args.amount: refers to step 'parse', which depends_on does not list; added as a dependency"))
    }

    @Test("run_if skips a step and its dependents without failing the run")
    func runIf() async throws {
        let (status, result, _) = try await run("run_if")
        #expect(status == 0)
        #expect(result["status"] == "succeeded")
        #expect(result["steps"]?["big-order-discount"]?["output"]?["result"]?["final"] == 7.65)
        #expect(result["steps"]?["bulk-order-discount"]?["status"] == "skipped")
        #expect(result["steps"]?["after-bulk"]?["status"] == "skipped")
    }

    @Test("a failing branch fails its dependents only; exit 1")
    func failureIsolation() async throws {
        let (status, result, _) = try await run("failure_isolation")
        #expect(status == 1)
        #expect(result["steps"]?["refund-tax"]?["error"]?["message"] == "compute_tax: argument 'amount': Amount cannot be negative")
        #expect(result["steps"]?["refund-total"]?["error"]?["code"] == "dependency_failed")
        #expect(result["steps"]?["sale-total"]?["output"]?["result"]?["final"] == 0.4)
    }

    @Test("steps sharing an idempotency key compute once, and a store file carries results to the next run")
    func idempotency() async throws {
        let scratch = try TemporaryDirectory()
        let store = scratch.url.appendingPathComponent("store.json").path
        let (status, first, _) = try await run("idempotency", ["--idempotency-store", store])
        #expect(status == 0)
        let reused = ["ocr-a", "ocr-b"].filter { first["steps"]?[$0]?["reused_idempotency_key"] == "ocr-seed-receipt" }
        #expect(reused.count == 1)
        #expect(first["steps"]?["parse"]?["attempts"] == 1)

        let (_, second, _) = try await run("idempotency", ["--idempotency-store", store])
        for id in ["ocr-a", "ocr-b", "parse"] {
            #expect(second["steps"]?[id]?["attempts"] == 0, "\(id) reused from the store")
        }
        #expect(second["steps"]?["parse"]?["output"] == first["steps"]?["parse"]?["output"])
    }
}

@Suite("Feature plans with code_exec")
struct CodeExecFeaturePlanTests {
    @Test("independent steps fan out; a code_exec step gathers their results through references")
    func fanOutFanIn() async throws {
        let (status, out, err) = await orchEval(["exec", fixture("Fixtures/plans/features/fan_out_fan_in.json"), "--json"])
        #expect(status == 0, "\(err)")
        #expect(try JSONValue(parsing: out)["steps"]?["sum"]?["output"] == ["output": ["tax": 0.68, "final": 7.65]])
    }

    @Test("a step that spins forever times out on every attempt; its dependent fails, the rest runs")
    func timeoutAndRetry() async throws {
        let (status, out, _) = await orchEval(["exec", fixture("Fixtures/plans/features/timeout_and_retry.json"), "--json"])
        #expect(status == 1)
        let steps = try JSONValue(parsing: out)["steps"]
        #expect(steps?["spin"]?["error"]?["code"] == "timeout")
        #expect(steps?["spin"]?["attempts"] == 2)
        #expect(steps?["after-spin"]?["error"]?["code"] == "dependency_failed")
        #expect(steps?["independent"]?["output"] == ["output": [1, 2, 3]])
    }
}
