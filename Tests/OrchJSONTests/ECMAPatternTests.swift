import Foundation
import Testing
@testable import OrchJSON

/// The ECMA-262 rewrite must not break patterns ICU already read the same way.
@Suite struct ECMAPatternTests {
    @Test func randomPatternsStillCompileAndAgreeWhereTheDialectsAgree() {
        var random = SplitMix64(seed: 0xEC_3A)
        let alphabet = Array(#"ab-[]^\dwDWs$.()|*+?1&"#)
        // ASCII without line breaks: here ICU and ECMA-262 mean the same by $, \d and \w.
        let inputs = ["", "a", "b", "1", "-", "ab1", "a-b", "$", "&", "[", "]", "_", " ", "a b", "\\", "^", ".", "a$", "[]", "&&"]
        var compared = 0
        for _ in 0..<4000 {
            let source = String((0..<Int.random(in: 1...7, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            // `[` or `&` inside a class is where the dialects differ on purpose.
            guard source.filter({ $0 == "[" }).count < 2, !source.contains("&"),
                  let icu = try? NSRegularExpression(pattern: source) else { continue }
            guard let ecma = try? NSRegularExpression(pattern: ECMAPattern.icu(source)) else {
                Issue.record("/\(source)/ compiles in ICU but not as \(ECMAPattern.icu(source))")
                continue
            }
            compared += 1
            for input in inputs {
                let range = NSRange(input.startIndex..., in: input)
                #expect((icu.firstMatch(in: input, range: range) != nil) == (ecma.firstMatch(in: input, range: range) != nil),
                        "/\(source)/ on \(input.debugDescription)")
            }
        }
        #expect(compared > 1000)
    }
}
