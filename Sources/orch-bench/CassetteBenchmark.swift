import Cassettes
import Foundation
import OrchJSON

/// `orch-bench cassettes [--interactions N] [--record M]`: writes an N-interaction cassette
/// (default 10 000) of chat-completion-shaped exchanges to a temporary directory, then
/// measures how long opening it takes, how many interactions per second one task replays, and
/// how much memory the load costs relative to the file size; then records M (default 1 000)
/// exchanges through a recording transport (journal, fsync per interaction, merge at close).
/// Targets: ≥ 20 000 replays/s, load memory ≤ 2× the file size, 1 000 recorded in ≤ 5 s.
func runCassetteBenchmark(arguments: [String]) async -> Int32 {
    guard let count = positiveOption("--interactions", in: arguments, default: 10_000),
          let recordCount = positiveOption("--record", in: arguments, default: 1_000) else { return 2 }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orch-bench-cassette-\(UUID().uuidString)")
    let file = directory.appendingPathComponent("bench.json")
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try BenchmarkCassette.write(count: count, to: file)
        let fileSize = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0

        let rssBefore = ProcessMemory.kilobytes("VmRSS")
        let peakReset = ProcessMemory.resetPeak()
        let loadStart = ContinuousClock.now
        let transport = try CassetteTransport(file: file, mode: .never, environment: [:])
        let loadSeconds = loadStart.duration(to: .now).seconds
        let peakAfterLoad = ProcessMemory.kilobytes("VmHWM")
        let loadCostKB = max(0, (peakAfterLoad ?? 0) - (rssBefore ?? 0))

        let requests = (0..<count).map(BenchmarkCassette.request)
        let replayStart = ContinuousClock.now
        var bytes = 0
        for request in requests { bytes += try await transport.send(request).body.count }
        let replaySeconds = replayStart.duration(to: .now).seconds
        let rate = Double(count) / replaySeconds
        let ratio = Double(loadCostKB * 1024) / Double(max(fileSize, 1))

        print("cassette benchmark: \(count) interactions, file \(String(format: "%.1f", Double(fileSize) / 1_048_576)) MB")
        print(String(format: "  load (parse + index):   %.3f s", loadSeconds))
        print(String(format: "  replay, one task:       %.0f interactions/s (%.1f µs each, %d body bytes)", rate, replaySeconds / Double(count) * 1e6, bytes))
        if peakReset, peakAfterLoad != nil {
            print(String(format: "  load memory:            %.1f MB peak above baseline = %.2f× file size", Double(loadCostKB) / 1024, ratio))
        } else {
            print("  load memory:            unavailable (needs Linux /proc/self/status and clear_refs)")
        }
        print("  peak RSS (VmHWM):       \(ProcessMemory.kilobytes("VmHWM").map { "\($0 / 1024) MB" } ?? "unavailable")")
        let (recordSeconds, closeSeconds) = try await measureRecording(count: recordCount, in: directory)
        print(String(format: "  record %d, one task:     %.2f s (%.0f interactions/s), of which close (merge into the file) %.3f s",
                     recordCount, recordSeconds, Double(recordCount) / recordSeconds, closeSeconds))
        let recordTarget = recordCount == 1_000 ? (recordSeconds <= 5 ? "met" : "MISSED") : "not measured (needs --record 1000)"
        print("  targets: ≥ 20000 replays/s: \(rate >= 20_000 ? "met" : "MISSED"); load ≤ 2× file: \(peakReset ? (ratio <= 2 ? "met" : "MISSED") : "not measured"); 1000 recorded ≤ 5 s: \(recordTarget)")
        return 0
    } catch {
        print("Error: cassette benchmark failed: \(error)")
        return 1
    }
}

/// The value of `--name N`, `fallback` when absent, nil (after printing why) when not a positive number.
private func positiveOption(_ name: String, in arguments: [String], default fallback: Int) -> Int? {
    guard let flag = arguments.firstIndex(of: name) else { return fallback }
    guard flag + 1 < arguments.count, let n = Int(arguments[flag + 1]), n > 0 else {
        print("Error: \(name) needs a positive whole number")
        return nil
    }
    return n
}

/// Records `count` exchanges into a new cassette through a `CassetteTransport` whose upstream
/// answers at once, so the figure is the recorder's own cost (redaction, secret scan, journal
/// append with fsync, and the merge into the sorted file at close). Returns (total, close) seconds.
private func measureRecording(count: Int, in directory: URL) async throws -> (Double, Double) {
    struct InstantUpstream: HTTPTransport {
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            let body = JSONValue.object(["id": .string("chatcmpl-\(request.body.count)"), "object": "chat.completion",
                                         "choices": [["index": 0, "message": ["role": "assistant", "content": "{\"total\": 6.21}"]]]])
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: body.serializedData())
        }
    }
    let file = directory.appendingPathComponent("recorded.json")
    let start = ContinuousClock.now
    let transport = try CassetteTransport(file: file, mode: .missing, upstream: InstantUpstream(), environment: [:])
    for i in 0..<count { _ = try await transport.send(BenchmarkCassette.request(i)) }
    let closeStart = ContinuousClock.now
    try transport.close()
    let end = ContinuousClock.now
    guard try Cassette.load(from: file).interactions.count == count else {
        throw CassetteError(.invalid, file: file.path, "the recorded cassette does not hold \(count) interactions")
    }
    return (start.duration(to: end).seconds, closeStart.duration(to: end).seconds)
}

/// The synthetic cassette the benchmark replays.
enum BenchmarkCassette {
    static let url = URL(string: "https://api.example.test/v1/chat/completions")!

    static func requestBody(_ i: Int) -> JSONValue {
        [
            "model": "gpt-small",
            "temperature": 0,
            "messages": [
                ["role": "system", "content": "You plan tool calls for receipts. Answer with JSON only."],
                ["role": "user", "content": .string("Receipt \(i): coffee 3.50, bagel 2.25, tax 8%. What is the total?")],
            ],
        ]
    }

    static func request(_ i: Int) -> HTTPRequest {
        HTTPRequest(method: "POST", url: url, headers: ["Content-Type": "application/json"], body: requestBody(i).serializedData())
    }

    static func interaction(_ i: Int) -> Interaction {
        let answer: JSONValue = [
            "id": .string("chatcmpl-\(i)"), "object": "chat.completion", "model": "gpt-small",
            "choices": [["index": 0, "finish_reason": "stop",
                         "message": ["role": "assistant", "content": .string("{\"total\": \(6.21 + Double(i % 100)), \"currency\": \"USD\"}")]]],
            "usage": ["prompt_tokens": 41, "completion_tokens": 12, "total_tokens": 53],
        ]
        return Interaction(request: RecordedRequest(method: "POST", url: url.absoluteString,
                                                    headers: ["content-type": "application/json"], body: .json(requestBody(i))),
                           response: RecordedResponse(status: 200, headers: ["content-type": "application/json"], body: .json(answer)),
                           latency: Latency(totalMs: Double(200 + i % 50), firstByteMs: 120))
    }

    /// Writes the cassette one interaction at a time, in exactly the layout `Cassette.save`
    /// uses, so that generating it does not itself raise the memory peak being measured.
    static func write(count: Int, to file: URL) throws {
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw CassetteError(.io, file: file.path, "cannot create \(file.path)")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data("{\n  \"format_version\": \(Cassette.formatVersion),\n  \"interactions\": [\n".utf8))
        for i in 0..<count {
            let text = interaction(i).jsonValue().serialized(.pretty)
                .split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
            try handle.write(contentsOf: Data((text + (i == count - 1 ? "\n" : ",\n")).utf8))
        }
        let metadata = CassetteMetadata(recordedAt: "2026-01-01T00:00:00Z", origin: .synthetic, notes: "orch-bench").jsonValue
        let metadataText = metadata.serialized(.pretty).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { $0 == 0 ? String($1) : "  " + $1 }.joined(separator: "\n")
        try handle.write(contentsOf: Data("  ],\n  \"metadata\": \(metadataText)\n}\n".utf8))
    }
}

/// Reads this process's memory figures from /proc (Linux).
enum ProcessMemory {
    /// A `Vm…` line of /proc/self/status in kilobytes, or nil where there is no /proc.
    static func kilobytes(_ field: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return nil
    }

    /// Resets the VmHWM peak to the current RSS (Linux ≥ 4.0), so the next peak is the load's.
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
