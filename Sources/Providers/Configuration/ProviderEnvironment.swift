import Foundation

/// The configuration variables (the seed's names), from the process environment and a `.env`
/// file in the working directory; the real environment wins. An empty value counts as unset.
public struct ProviderEnvironment: Sendable, Equatable {
    public var values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    /// The process environment over `.env` in `directory` (when the file exists).
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                            directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) throws(ProviderError) -> ProviderEnvironment {
        let file = directory.appendingPathComponent(".env")
        guard let data = FileManager.default.contents(atPath: file.path) else { return ProviderEnvironment(environment) }
        let fromFile = try DotEnv.parse(String(decoding: data, as: UTF8.self), file: file.path)
        return ProviderEnvironment(fromFile.merging(environment) { _, real in real })
    }

    /// The value of `name`, nil when unset or empty.
    public subscript(name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// The value of `name`, or a `.configuration` error saying to set it (for `purpose`).
    public func require(_ name: String, for purpose: String) throws(ProviderError) -> String {
        guard let value = self[name] else {
            throw ProviderError(.configuration, provider: purpose, "\(name) is not set; set it in the environment or in .env")
        }
        return value
    }

    /// `name` as a boolean: true for `true`, `1`, `yes`, `on` (any case).
    public func flag(_ name: String) -> Bool {
        ["true", "1", "yes", "on"].contains(self[name]?.lowercased() ?? "")
    }

    /// `name` as an http(s) URL, `fallback` when unset; a value that is not a URL is an error naming it.
    public func url(_ name: String, default fallback: String? = nil, for purpose: String) throws(ProviderError) -> URL {
        guard let text = self[name] ?? fallback else {
            throw ProviderError(.configuration, provider: purpose, "\(name) is not set; set it in the environment or in .env")
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw ProviderError(.configuration, provider: purpose, "\(name) is not an http(s) URL: '\(text)'")
        }
        return url
    }
}
