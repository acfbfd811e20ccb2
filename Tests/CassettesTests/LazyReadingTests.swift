import Cassettes
import Foundation
import OrchJSON
import Testing

/// The replay path reads a cassette lazily (skimming for where each interaction sits); it must
/// agree with a full parse whatever the strings hold.
@Suite struct LazyReadingTests {
    /// A deterministic generator, so a failure names a reproducible seed.
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        mutating func string() -> String {
            let pieces = ["\"", "\\", "]", "[", "{", "}", ",", ":", "é", "\u{1F600}", "\n", "\t", "\u{0}", "a", " ", "\\\"", "/", "\u{2028}"]
            return (0..<next(12)).map { _ in pieces[next(pieces.count)] }.joined()
        }
        mutating func json(depth: Int = 0) -> JSONValue {
            switch depth > 2 ? next(4) : next(6) {
            case 0: return .string(string())
            case 1: return .number(Double(next(2000)) / 8 - 100)
            case 2: return .bool(next(2) == 0)
            case 3: return .null
            case 4: return .array((0..<next(4)).map { _ in json(depth: depth + 1) })
            default:
                var members: [String: JSONValue] = [:]
                for _ in 0..<next(4) { members[string()] = json(depth: depth + 1) }
                return .object(members)
            }
        }
    }

    @Test(arguments: 1...20)
    func everyInteractionReplaysWhateverItsStringsHold(seed: UInt64) async throws {
        var generator = Generator(state: seed)
        let interactions = (0..<8).map { i in
            Interaction(request: RecordedRequest(method: "POST", url: "https://api.example.test/v1/\(i)",
                                                 headers: ["content-type": "application/json"], body: .json(["q": generator.json(), "i": .number(Double(i))])),
                        response: RecordedResponse(status: 200, body: i % 2 == 0 ? .json(["a": generator.json()]) : .text(generator.string())),
                        latency: Latency(totalMs: 1))
        }
        let file = try temporaryDirectory().appendingPathComponent("fuzz.json")
        try Cassette(metadata: CassetteMetadata(origin: .synthetic, notes: generator.string()), interactions: interactions).save(to: file)
        #expect(try Cassette.load(from: file).interactions.count == interactions.count)
        let player = try CassetteTransport(file: file, mode: .never, environment: hermetic)
        for interaction in interactions {
            guard case .json(let body) = interaction.request.body else { continue }
            let response = try await player.send(HTTPRequest(method: "POST", url: URL(string: interaction.request.url)!,
                                                             headers: ["Content-Type": "application/json"], body: body.serializedData()))
            switch interaction.response.body {
            case .json(let value): #expect(try JSONValue(parsing: response.body) == value, "seed \(seed)")
            case .text(let text): #expect(String(decoding: response.body, as: UTF8.self) == text, "seed \(seed)")
            default: Issue.record("unexpected body")
            }
        }
    }
}
