import Testing
@testable import OrchJSON

@Suite struct JSONPathTests {
    let document: JSONValue = ["items": [10, 20, 30], "0": "zero", "": ["": "empty"], "a": ["1": "one"]]

    @Test func theEmptyPathIsTheWholeValue() throws {
        #expect(JSONPath("").segments == [])
        #expect(try document.value(at: JSONPath("")) == document)
        #expect(document.updating(JSONPath("")) { _ in 1 } == 1)
    }

    @Test func numericSegmentsNameObjectMembersAndIndexArrays() throws {
        #expect(try document.value(at: JSONPath("0")) == "zero")
        #expect(try document.value(at: JSONPath("a.1")) == "one")
        #expect(try document.value(at: JSONPath("items.2")) == 30)
        // Empty segments name the empty key.
        #expect(try document.value(at: JSONPath(".")) == "empty")
    }

    /// Only plain decimal digits index an array: `+1`, `-0`, `01` and ` 1` are typos, not 1 or 0.
    @Test(arguments: ["items.+1", "items.-0", "items.01", "items. 1", "items.-1", "items.3", "items.1.x", "items.1e0"])
    func segmentsThatAreNotPlainIndexesSelectNothing(_ path: String) {
        #expect(throws: JSONPathError.self) { try document.value(at: JSONPath(path)) }
        #expect(document.updating(JSONPath(path)) { _ in "changed" } == document)
    }

    @Test func starIsAWildcardOnlyWhenUpdating() {
        #expect(throws: JSONPathError.self) { try document.value(at: JSONPath("items.*")) }
        #expect(document.updating(JSONPath("items.*")) { _ in 0 }["items"] == [0, 0, 0])
    }

    @Test func updatingReplacesOnlyWhatResolves() {
        #expect(document.updating(JSONPath("items.1")) { _ in 99 }["items"] == [10, 99, 30])
        #expect(document.updating(JSONPath("items.*")) { ($0.doubleValue ?? 0) + 1 == 21 ? "hit" : $0 }["items"] == [10, "hit", 30])
        #expect(document.updating(JSONPath("missing.x")) { _ in 1 } == document)
    }

    @Test func errorsNameTheFailingSegmentAndWhatStoodThere() {
        let cases: [(String, String)] = [
            ("items.7", "'7' does not select anything in 'items', which is an array of 3 elements"),
            ("nope", "'nope' does not select anything in the value, which is an object with keys [, 0, a, items]"),
            ("0.x", "'x' does not select anything in '0', which is a string"),
        ]
        for (path, message) in cases {
            do {
                _ = try document.value(at: JSONPath(path))
                Issue.record("\(path) selected something")
            } catch {
                #expect(error.description == message)
            }
        }
    }
}
