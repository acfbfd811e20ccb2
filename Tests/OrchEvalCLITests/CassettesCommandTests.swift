import Cassettes
import Foundation
import OrchEvalCLI
import OrchJSON
import Testing

@Suite struct CassettesCommandTests {
    /// Runs the command and returns (exit code, stdout, stderr).
    private func run(_ arguments: [String]) async -> (Int32, String, String) {
        let captured = CapturedIO()
        let code = await CassettesCommand.run(arguments, io: captured.io())
        return (code, captured.out, captured.err)
    }

    private func interaction(_ path: String, answer: String) -> Interaction {
        Interaction(request: RecordedRequest(method: "POST", url: "https://api.example.test/\(path)", body: .json(["q": .string(path)])),
                    response: RecordedResponse(status: 200, body: .json(["answer": .string(answer)])),
                    latency: Latency(totalMs: 5))
    }

    @Test func lsShowsInteractionsOriginSizeAndDate() async throws {
        let scratch = try TemporaryDirectory()
        let dir = scratch.url
        try Cassette(metadata: CassetteMetadata(recordedAt: "2026-05-01T10:00:00Z", origin: .synthetic),
                     interactions: [interaction("a", answer: "1"), interaction("b", answer: "2")])
            .save(to: dir.appendingPathComponent("suite/two.json"))
        let (code, out, _) = await run(["ls", dir.path])
        #expect(code == 0)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("CASSETTE") == true)
        let row = try #require(lines.first { $0.hasPrefix("suite/two.json") })
        #expect(row.contains("2"))
        #expect(row.contains("synthetic"))
        #expect(row.contains("2026-05-01T10:00:00Z"))
        #expect(row.contains(" KB"))
    }

    @Test func verifyPassesACleanDirectory() async throws {
        let scratch = try TemporaryDirectory()
        let dir = scratch.url
        try Cassette(interactions: [interaction("a", answer: "1")]).save(to: dir.appendingPathComponent("one.json"))
        let (code, out, _) = await run(["verify", dir.path])
        #expect(code == 0)
        #expect(out.contains("ok: 1 cassette(s), 1 interaction(s)"))
    }

    @Test func verifyListsEveryProblem() async throws {
        let scratch = try TemporaryDirectory()
        let dir = scratch.url
        try Data("{\"format_version\": 1, \"interac".utf8).write(to: dir.appendingPathComponent("broken.json"))
        // Written around the scanner, as a hand edit would be.
        var leaky = Cassette(interactions: [interaction("a", answer: "1")]).jsonValue()
        leaky = leaky.updating(JSONPath("interactions.0.request")) { request in
            var members = request.objectValue ?? [:]
            members["headers"] = ["x-token": .string("Bearer " + String(repeating: "q7", count: 12))]
            return .object(members)
        }
        try leaky.serializedData(.pretty).write(to: dir.appendingPathComponent("leaky.json"))
        try Cassette(interactions: [interaction("a", answer: "1"), interaction("a", answer: "1")])
            .save(to: dir.appendingPathComponent("duplicate.json"))
        var withBlob = Cassette(interactions: [interaction("img", answer: "x")])
        withBlob.interactions[0].request.body = .blob(sha256: String(repeating: "ab", count: 32), size: 10)
        try withBlob.save(to: dir.appendingPathComponent("blob.json"))

        let (code, out, _) = await run(["verify", dir.path])
        #expect(code == 1)
        #expect(out.contains("broken.json is not valid JSON"))
        #expect(out.contains("leaky.json: interactions.0.request.headers.x-token looks like a bearer token"))
        #expect(out.contains("duplicate.json: interactions 0 and 1 are identical"))
        #expect(out.contains("side file") && out.contains("is missing"))
    }

    @Test func verifyReportsFilesThatAreNotCassettesOrSideFiles() async throws {
        let scratch = try TemporaryDirectory()
        let dir = scratch.url
        try Cassette(interactions: [interaction("a", answer: "1")]).save(to: dir.appendingPathComponent("one.json"))
        let gone = Process()  // a process that has ended: what a killed recorder leaves looks like this
        gone.executableURL = URL(fileURLWithPath: "/bin/sh")
        gone.arguments = ["-c", "exit 0"]
        try gone.run()
        gone.waitUntilExit()
        let pid = gone.processIdentifier
        let header: JSONValue = ["cassette_journal": 1, "pid": .number(Double(pid)), "mode": "missing", "started_at": "2026-01-01T00:00:00Z"]
        let journal = header.serialized() + "\n" + interaction("b", answer: "2").jsonValue().serialized() + "\n"
        try Data(journal.utf8).write(to: dir.appendingPathComponent(".one.json.\(pid).77.journal"))
        try Data("half".utf8).write(to: dir.appendingPathComponent(".one.json.\(pid).12345.tmp"))
        try Data("notes".utf8).write(to: dir.appendingPathComponent("notes.txt"))

        let (code, out, _) = await run(["verify", dir.path])
        #expect(code == 1)
        #expect(out.contains("journal of a recorder (process \(pid)) that was killed; its 1 interaction(s) are not merged into \(dir.path)/one.json"), "\(out)")
        #expect(out.contains(".one.json.\(pid).12345.tmp: temporary file of a write by process \(pid) that was killed"))
        #expect(out.contains("notes.txt: not a cassette (*.json) or side file"))
        #expect(try Cassette.load(from: dir.appendingPathComponent("one.json")).interactions.count == 2)  // replay includes the journal
    }

    @Test func verifyWithAUsageLogReportsInteractionsNoTestUsed() async throws {
        let scratch = try TemporaryDirectory()
        let dir = scratch.url
        let file = dir.appendingPathComponent("usage.json")
        try Cassette(interactions: [interaction("used", answer: "1"), interaction("unused", answer: "2")]).save(to: file)
        let log = dir.appendingPathComponent("usage.log")
        let transport = try CassetteTransport(file: file, mode: .never, options: CassetteOptions(usageLog: log), environment: [:])
        _ = try await transport.send(HTTPRequest(method: "POST", url: URL(string: "https://api.example.test/used")!,
                                                 body: Data(#"{"q":"used"}"#.utf8)))

        let (code, out, _) = await run(["verify", dir.path, "--usage-log", log.path])
        #expect(code == 1)
        #expect(out.contains("interaction 1 (POST https://api.example.test/unused) was never used"))
        #expect(!out.contains("interaction 0"))
    }

    @Test func verifyNeverPrintsASecretFromAURL() async throws {
        let scratch = try TemporaryDirectory()
        let key = "sk-" + String(repeating: "Zq8", count: 10)  // built at run time: no key-shaped literal in the repo
        // Written around the scanner, as a hand edit would be.
        var leaky = Cassette(interactions: [interaction("a", answer: "1")]).jsonValue()
        leaky = leaky.updating(JSONPath("interactions.0.request.url")) { _ in .string("https://api.example.test/v1/\(key)/chat") }
        try leaky.serializedData(.pretty).write(to: scratch.url.appendingPathComponent("leaky.json"))
        let log = scratch.url.appendingPathComponent("empty.log")
        try Data().write(to: log)
        let (code, out, err) = await run(["verify", scratch.url.path, "--usage-log", log.path])
        #expect(code == 1)
        #expect(out.contains("interactions.0.request.url looks like an OpenAI API key"))
        #expect(out.contains("was never used"))
        #expect(!out.contains(key) && !err.contains(key))
    }

    @Test func verifyLooksIntoSideFiles() async throws {
        let scratch = try TemporaryDirectory()
        let upload = Data(("--b\r\nname=\"apikey\"\r\n\r\n" + "sk-" + String(repeating: "Zq8", count: 10) + "\r\n--b--").utf8)
        let hex = SHA256.hex(upload)
        var cassette = Cassette(interactions: [interaction("upload", answer: "1")])
        cassette.interactions[0].request.body = .blob(sha256: hex, size: upload.count)
        try cassette.save(to: scratch.url.appendingPathComponent("upload.json"))  // the side file is put there by hand, as an edit would
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("blobs"), withIntermediateDirectories: true)
        try upload.write(to: scratch.url.appendingPathComponent("blobs/\(hex)"))
        let (code, out, _) = await run(["verify", scratch.url.path])
        #expect(code == 1)
        #expect(out.contains("upload.json: interactions.0.request.body.file looks like an OpenAI API key (inside binary data)"))
    }

    @Test func usageIsMatchedThroughSymbolicLinks() async throws {
        let scratch = try TemporaryDirectory()
        let real = scratch.url.appendingPathComponent("real")
        try Cassette(interactions: [interaction("used", answer: "1")]).save(to: real.appendingPathComponent("c.json"))
        let link = scratch.url.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        let log = scratch.url.appendingPathComponent("usage.log")
        let transport = try CassetteTransport(file: link.appendingPathComponent("c.json"), mode: .never,
                                              options: CassetteOptions(usageLog: log), environment: [:])
        _ = try await transport.send(HTTPRequest(method: "POST", url: URL(string: "https://api.example.test/used")!,
                                                 body: Data(#"{"q":"used"}"#.utf8)))
        let (code, out, _) = await run(["verify", real.path, "--usage-log", log.path])
        #expect(code == 0, "\(out)")
    }

    @Test func lsSaysSoWhenADirectoryHoldsNoCassettes() async throws {
        let scratch = try TemporaryDirectory()
        let (code, out, err) = await run(["ls", scratch.url.path])
        #expect(code == 0)
        #expect(out.hasPrefix("CASSETTE"))
        #expect(err.contains("No cassettes (*.json) under \(scratch.url.path)"))
    }

    @Test func verifyPointsAtAHandWrittenURLNoRequestCanMatch() async throws {
        let scratch = try TemporaryDirectory()
        var cassette = Cassette(interactions: [interaction("a", answer: "1")])
        cassette.interactions[0].request.url = "https://API.example.test:443/v1?b=2&a=1"
        try cassette.save(to: scratch.url.appendingPathComponent("hand.json"))
        let (code, out, _) = await run(["verify", scratch.url.path])
        #expect(code == 1)
        #expect(out.contains("interactions.0.request.url is not in normal form, so no request can match it; write https://api.example.test/v1?a=1&b=2"))
    }

    @Test func anUnknownSubcommandIsNamedBeforeTheDirectoryIsLookedAt() async throws {
        let scratch = try TemporaryDirectory()
        let (code, _, err) = await run(["lss", scratch.url.appendingPathComponent("nowhere").path])
        #expect(code == 2)
        #expect(err.contains("unknown subcommand 'cassettes lss'"))
        let file = scratch.url.appendingPathComponent("plain.txt")
        try Data("x".utf8).write(to: file)
        let notADirectory = await run(["ls", file.path])
        #expect(notADirectory.0 == 2)
        #expect(notADirectory.2.contains("is not a directory"))
    }

    @Test func theCommittedCassettesVerify() async throws {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root = root.deletingLastPathComponent()
        }
        let (code, out, _) = await run(["verify", root.appendingPathComponent("Cassettes").path])
        #expect(code == 0, "\(out)")
    }

    @Test func badCommandLinesAreUsageErrors() async throws {
        #expect(await run(["--help"]).0 == 0)
        #expect(await run(["verify", "--help"]).1.contains("USAGE: orch-eval cassettes"))
        #expect(await run([]).0 == 2)
        #expect(await run(["shuffle"]).0 == 2)
        #expect(await run(["verify", "/nonexistent/cassettes"]).2.contains("does not exist"))
        #expect(await run(["verify", "--usage-log"]).0 == 2)
        #expect(await run(["ls", "a", "b"]).0 == 2)
    }
}
