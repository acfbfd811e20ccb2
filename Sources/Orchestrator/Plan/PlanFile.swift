import Foundation
import OrchJSON

/// Reading a plan from disk, with errors that name the file.
public enum PlanFile {
    /// The file's JSON, for `PlanValidator.validate(json:)`.
    public static func read(_ path: String) throws(PlanFileError) -> JSONValue {
        if isDirectory(path) { throw .unreadable(path: path, reason: "it is a directory; give the path of a plan file") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read (\(error.localizedDescription))" : "no such file"
            throw .unreadable(path: path, reason: reason)
        }
        do {
            return try JSONValue(parsing: data)
        } catch {
            throw .notJSON(path: path, error: error)
        }
    }
}

/// Whether `path` names a directory (reading one fails with an error that does not say so).
func isDirectory(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
}

/// A plan file that cannot be used.
public enum PlanFileError: Error, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notJSON(path: String, error: JSONParseError)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read the plan file '\(path)': \(reason)"
        case .notJSON(let path, let error): "\(path):\(error.line):\(error.column): not valid JSON: \(error.message)"
        }
    }
}
