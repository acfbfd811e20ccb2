import Cassettes
import Foundation

/// How `SuiteRunner` runs a suite: which part, how often, where results go.
public struct RunOptions: Sendable {
    /// Cases running at once.
    public var concurrency: Int
    /// `never` replays only (the default); `missing`/`all` record through `upstream`.
    public var recordMode: RecordMode
    /// Trials per case and configuration.
    public var repeatCount: Int
    public var shard: Shard?
    /// Configurations to run by name; nil runs every one.
    public var configurations: [String]?
    /// Where each case's result is appended as it ends; nil keeps results in memory only.
    public var resultsFile: URL?
    /// Skip cases the results file already holds.
    public var resume: Bool
    /// Relative cassette folders resolve against this folder.
    public var root: URL
    public var environment: [String: String]
    /// The network for recording; nil forbids it.
    public var upstream: (any HTTPTransport)?
    /// Called with a line as each case ends.
    public var progress: (@Sendable (String) -> Void)?

    public init(concurrency: Int = 2, recordMode: RecordMode = .never, repeatCount: Int = 1, shard: Shard? = nil,
                configurations: [String]? = nil, resultsFile: URL? = nil, resume: Bool = false,
                root: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                environment: [String: String] = ProcessInfo.processInfo.environment, upstream: (any HTTPTransport)? = nil,
                progress: (@Sendable (String) -> Void)? = nil) {
        self.concurrency = concurrency
        self.recordMode = recordMode
        self.repeatCount = repeatCount
        self.shard = shard
        self.configurations = configurations
        self.resultsFile = resultsFile
        self.resume = resume
        self.root = root
        self.environment = environment
        self.upstream = upstream
        self.progress = progress
    }
}

/// Part `index` (0-based) of `count`: a stable subset of the cases, chosen by a hash of each
/// case id, so adding a case never moves the others between shards.
public struct Shard: Sendable, Equatable, Codable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (0..<count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// `I/N` with I from 1 to N, as `--shard` takes it.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: i - 1, count: n)
    }

    /// A Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` (0-based) and the completion count.
    public init?(environment: [String: String]) {
        guard let i = environment["JOB_COMPLETION_INDEX"].flatMap(Int.init),
              let n = environment["JOB_COMPLETION_COUNT"].flatMap(Int.init) else { return nil }
        self.init(index: i, count: n)
    }

    public var description: String { "\(index + 1)/\(count)" }

    public func contains(_ caseID: String) -> Bool {
        // FNV-1a: stable across runs and platforms, unlike Hasher.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in caseID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(hash % UInt64(count)) == index
    }
}
