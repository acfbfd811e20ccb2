import Foundation
import OrchJSON

/// A cassette file held as its bytes plus where each interaction sits in them; an interaction
/// is parsed when it is needed. Replaying a large cassette this way costs about its file size
/// in memory, where a fully parsed tree costs several times that.
struct LazyCassette: Sendable {
    let file: String
    let data: Data
    let metadata: CassetteMetadata
    private let ranges: [Range<Int>]

    init(contentsOf url: URL) throws(CassetteError) {
        file = url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CassetteError(.io, file: url.path, "cannot read cassette \(url.path): the file does not exist or is unreadable")
        }
        self.data = data
        let layout: JSONSkim.Layout
        do {
            layout = try JSONSkim.layout(of: data, arrayMember: "interactions")
        } catch {
            throw Self.notJSON(url.path, data: data, offset: error.offset, message: error.message)
        }
        // The small head of the file is parsed whole, with the interactions array left out.
        var head: [String: JSONValue] = [:]
        for (key, range) in layout.members where key != "interactions" {
            head[key] = try Self.parse(data, range, file: url.path)
        }
        head["interactions"] = layout.members["interactions"] == nil ? nil : .array([])
        let shell = try Cassette(json: .object(head), file: url.path)
        metadata = shell.metadata
        ranges = layout.elements
    }

    var count: Int { ranges.count }

    func interaction(_ index: Int) throws(CassetteError) -> Interaction {
        var reader = FieldReader(file: file)
        return try Interaction(json: Self.parse(data, ranges[index], file: file), at: "interactions.\(index)", reader: &reader)
    }

    func all() throws(CassetteError) -> [Interaction] {
        var out: [Interaction] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append(try interaction(i)) }
        return out
    }

    private static func parse(_ data: Data, _ range: Range<Int>, file: String) throws(CassetteError) -> JSONValue {
        do {
            return try JSONValue(parsing: data[range])
        } catch {
            throw notJSON(file, data: data, offset: range.lowerBound + error.offset, message: error.message)
        }
    }

    private static func notJSON(_ file: String, data: Data, offset: Int, message: String) -> CassetteError {
        let (line, column) = JSONSkim.position(of: offset, in: data)
        return CassetteError(.invalid, file: file,
                             "cassette \(file) is not valid JSON (line \(line), column \(column): \(message)); it may be truncated or corrupted: restore it from git or re-record it (ORCH_RECORD=all)")
    }
}
