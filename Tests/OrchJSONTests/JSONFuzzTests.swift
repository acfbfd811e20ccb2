import Foundation
import Testing
@testable import OrchJSON

/// Random and mutated documents: the parser either returns a value that survives a round
/// trip or throws a `JSONParseError` that points inside the document. A crash fails the run.
@Suite struct JSONFuzzTests {
    static let seeds: [String] = [
        #"{"steps":[{"id":"a","tool":"function_call","input":{"name":"compute_tax","args":{"amount":100.5,"tax_rate":0.08}}}]}"#,
        #"[1,-2.5e-3,true,false,null,"x\n\u00e9\ud83d\ude00",{"":[]},[[{}]]]"#,
        "{\n  \"a\" : [ 1 , 2 ],\r\n\t\"b\" : \"é😀\"\n}",
        #""\"\\\/\b\f\n\r\t\u0000""#,
        "-0.0e+00",
    ]

    /// Bytes a JSON document is made of, plus a few that must never appear outside strings.
    static let alphabet: [UInt8] = Array(#"{}[]:,"\/-+.0123456789eEtrufalsn uUx"#.utf8)
        + [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xA9, 0xE2, 0xED, 0xEF, 0xBB, 0xF0, 0xF4, 0xFF]

    @Test func randomBytesNeverCrashTheParser() {
        var random = SplitMix64(seed: 0x5EED_0001)
        for _ in 0..<3000 {
            let length = Int.random(in: 0...48, using: &random)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &random) ? Self.alphabet.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
            }
            check(bytes)
        }
    }

    @Test func mutatedDocumentsNeverCrashTheParser() {
        var random = SplitMix64(seed: 0x5EED_0002)
        for _ in 0..<4000 {
            var bytes = Array(Self.seeds.randomElement(using: &random)!.utf8)
            for _ in 0...Int.random(in: 0...3, using: &random) {
                mutate(&bytes, using: &random)
            }
            check(bytes)
        }
    }

    @Test func deepAndLongInputsNeverCrashTheParser() {
        var random = SplitMix64(seed: 0x5EED_0003)
        for _ in 0..<40 {
            let opener = Array("[{\"k\":".utf8)
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 400...2000, using: &random) {
                bytes += Bool.random(using: &random) ? [opener[0]] : Array(opener[1...])
            }
            bytes += Array("1".utf8)
            check(bytes)
        }
        check(Array(String(repeating: "9", count: 100_000).utf8))
        check(Array(("\"" + String(repeating: "\\u00e9", count: 20_000) + "\"").utf8))
    }

    private func mutate(_ bytes: inout [UInt8], using random: inout SplitMix64) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<5, using: &random) {
        case 0 where !bytes.isEmpty: bytes.remove(at: position)
        case 1: bytes.insert(Self.alphabet.randomElement(using: &random)!, at: position)
        case 2 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &random)
        case 3: bytes = Array(bytes.prefix(position))
        default:
            let chunk = bytes[position..<min(bytes.count, position + Int.random(in: 1...8, using: &random))]
            bytes.insert(contentsOf: chunk, at: position)
        }
    }

    private func check(_ bytes: [UInt8]) {
        do {
            let value = try JSONValue(parsing: Data(bytes))
            let text = value.serialized()
            let again = try JSONValue(parsing: text)
            #expect(again == value, "round trip of \(bytes)")
            #expect(again.serialized() == text, "canonical text is a fixed point for \(bytes)")
        } catch {
            // Parsing throws only JSONParseError (typed throws); its position must be inside the input.
            #expect(error.line >= 1 && error.column >= 1, "\(error) for \(bytes)")
            #expect((0...bytes.count).contains(error.offset), "\(error) for \(bytes)")
        }
    }
}
