import CassetteTesting
import Cassettes
import Foundation
import OrchJSON
import Testing

/// Replays the cassettes committed under `Cassettes/CommittedCassetteTests/`. They were
/// recorded from the loopback server through `LazyLoopbackTransport`, which only starts the
/// server when something must be recorded, so these tests run with no server and no network.
/// Re-record with `ORCH_RECORD=all swift test --filter CommittedCassetteTests`.
@Suite struct CommittedCassetteTests {
    private func expectNoNetwork(_ transport: CassetteTransport, _ upstream: LazyLoopbackTransport, existed: Bool) {
        if existed && (transport.mode == .never || transport.mode == .once) {
            #expect(!upstream.started, "a committed cassette must replay without the server")
        }
    }

    private func exists(_ name: String) throws -> Bool {
        FileManager.default.fileExists(atPath: try CassetteLocation.file(named: name, directory: nil, testFile: #filePath).path)
    }

    @Test func chatRequestReplaysFromTheCommittedCassette() async throws {
        let upstream = LazyLoopbackTransport()
        let existed = try exists(#function)
        let answer = try await withCassette(upstream: upstream) { transport in
            let response = try await transport.send(request(exampleAPI.appendingPathComponent("json"),
                                                            json: #"{"model":"small","messages":[{"role":"user","content":"Sum 2 and 3"}]}"#,
                                                            headers: ["Authorization": "Bearer " + FakeKey.openAI]))
            expectNoNetwork(transport, upstream, existed: existed)
            return try parse(response.body)
        }
        #expect(answer["received"]?["messages"]?.arrayValue?.first?["content"] == "Sum 2 and 3")
        let text = try String(contentsOf: CassetteLocation.file(named: #function, directory: nil, testFile: #filePath), encoding: .utf8)
        #expect(text.contains("\"authorization\": \"REDACTED\""))
    }

    @Test func eventStreamReplaysFromTheCommittedCassette() async throws {
        let upstream = LazyLoopbackTransport()
        let existed = try exists(#function)
        let chunks = try await withCassette(upstream: upstream) { transport in
            var chunks: [String] = []
            for try await chunk in try await transport.stream(request(exampleAPI.appendingPathComponent("sse"), method: "GET")).chunks {
                chunks.append(String(decoding: chunk, as: UTF8.self))
            }
            expectNoNetwork(transport, upstream, existed: existed)
            return chunks
        }
        #expect(chunks.joined() == TestRoutes.events.joined())
    }

    @Test func rateLimitReplaysFromTheCommittedCassette() async throws {
        let upstream = LazyLoopbackTransport()
        let existed = try exists(#function)
        let response = try await withCassette(upstream: upstream) { transport in
            let response = try await transport.send(request(exampleAPI.appendingPathComponent("status/429"), method: "GET"))
            expectNoNetwork(transport, upstream, existed: existed)
            return response
        }
        #expect(response.status == 429)
        #expect(response.headers["Retry-After"] == "2")
    }

    @Test func aScopedRecordModeAppliesToCassettesInside() async throws {
        let dir = try temporaryDirectory()
        let upstream = LazyLoopbackTransport()
        let error = await #expect(throws: CassetteError.self) {
            try await withCassetteRecording(.never) {
                try await withCassette("scoped", upstream: upstream, directory: dir, environment: [:]) { transport in
                    #expect(transport.mode == .never)
                    return try await transport.send(request(exampleAPI.appendingPathComponent("json"), json: "{}"))
                }
            }
        }
        #expect(error?.kind == .miss(alreadyUsed: false))
        #expect(!upstream.started)
        try await withCassette("scoped", upstream: upstream, directory: dir, environment: [:]) { transport in
            #expect(transport.mode == .once)
            #expect(transport.file == dir.appendingPathComponent("scoped.json"))
        }
    }

    @Test func cassetteNamesComeFromTheTestFunction() throws {
        let file = try CassetteLocation.file(named: "summarizes(receipt:)", directory: nil, testFile: #filePath)
        #expect(file.lastPathComponent == "summarizes-receipt.json")
        #expect(file.deletingLastPathComponent().lastPathComponent == "CommittedCassetteTests")
        #expect(file.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent == "Cassettes")
    }
}
