import Foundation

/// Reads `.env` files: `NAME=value` lines, `#` comments, optional `export `, values optionally
/// in single quotes (literal) or double quotes (`\n`, `\"`, `\\` escapes); an unquoted value
/// ends at ` #`.
public enum DotEnv {
    /// The variables in `text`. A line that is not `NAME=value` is an error naming its line.
    public static func parse(_ text: String, file: String = ".env") throws(ProviderError) -> [String: String] {
        var values: [String: String] = [:]
        for (index, raw) in text.components(separatedBy: .newlines).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else {
                throw ProviderError(.configuration, provider: "config", "\(file) line \(index + 1) is not NAME=value: \(ProviderError.clip(line, limit: 60))")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
                throw ProviderError(.configuration, provider: "config", "\(file) line \(index + 1) has an invalid variable name '\(name)'")
            }
            values[name] = value(String(line[line.index(after: equals)...]).trimmingCharacters(in: .whitespaces))
        }
        return values
    }

    private static func value(_ text: String) -> String {
        if text.count >= 2, text.hasPrefix("'"), let end = text.dropFirst().firstIndex(of: "'") {
            return String(text[text.index(after: text.startIndex)..<end])
        }
        if text.hasPrefix("\"") {
            var out = ""
            var escaped = false
            for character in text.dropFirst() {
                if escaped {
                    out.append(character == "n" ? "\n" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    return out
                } else {
                    out.append(character)
                }
            }
            return out
        }
        if let comment = text.range(of: " #") { return String(text[..<comment.lowerBound]).trimmingCharacters(in: .whitespaces) }
        return text
    }
}
