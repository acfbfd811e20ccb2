import Foundation

/// The interactions of an open cassette and which of them have been served. Lives behind
/// the transport's lock.
///
/// A cassette opened for replay stays in its file form (`LazyCassette`): the index keeps only
/// each interaction's request hash, and an interaction is parsed when a request may match it.
/// Recording switches to parsed interactions, which it then appends to.
struct ReplayState {
    private enum Store {
        case file(LazyCassette)
        case memory([Interaction])
    }

    private var store: Store
    private(set) var metadata: CassetteMetadata
    private let rules: MatchingRules
    /// Interaction indices per request-identity hash, in recorded order.
    private var buckets: [Int: [Int]] = [:]
    private var served: [Bool]

    init(cassette: Cassette, rules: MatchingRules) {
        store = .memory(cassette.interactions)
        metadata = cassette.metadata
        self.rules = rules
        served = Array(repeating: false, count: cassette.interactions.count)
        for (i, interaction) in cassette.interactions.enumerated() {
            buckets[RequestKey(interaction.request, rules: rules).hashValue, default: []].append(i)
        }
    }

    /// Indexes a cassette file; every interaction is parsed once here, which also checks it.
    init(file: LazyCassette, rules: MatchingRules) throws(CassetteError) {
        store = .file(file)
        metadata = file.metadata
        self.rules = rules
        served = Array(repeating: false, count: file.count)
        for i in 0..<file.count {
            buckets[RequestKey(try file.interaction(i).request, rules: rules).hashValue, default: []].append(i)
        }
    }

    var count: Int { served.count }

    func interaction(_ index: Int) throws(CassetteError) -> Interaction {
        switch store {
        case .file(let lazy): try lazy.interaction(index)
        case .memory(let interactions): interactions[index]
        }
    }

    func allInteractions() throws(CassetteError) -> [Interaction] {
        switch store {
        case .file(let lazy): try lazy.all()
        case .memory(let interactions): interactions
        }
    }

    enum Lookup {
        case hit(Interaction)
        /// Recorded `count` times, all already served.
        case exhausted(count: Int)
        /// Never recorded.
        case none
    }

    mutating func next(for key: RequestKey, allowRepeats: Bool) throws(CassetteError) -> Lookup {
        // Served interactions are not parsed again: sharing the 64-bit hash of a request
        // identity that was served is taken as being that identity.
        var servedMatches: [Int] = []
        for index in buckets[key.hashValue] ?? [] {
            if served[index] { servedMatches.append(index); continue }
            let candidate = try interaction(index)
            guard RequestKey(candidate.request, rules: rules) == key else { continue }
            served[index] = true  // identical requests are served in recorded order
            return .hit(candidate)
        }
        if let last = servedMatches.last {
            if allowRepeats { return .hit(try interaction(last)) }
            return .exhausted(count: servedMatches.count)
        }
        return .none
    }

    /// Adds a freshly recorded interaction, already counted as served. Constant time once the
    /// interactions are in memory (the first append parses a file-backed cassette once).
    mutating func append(_ interaction: Interaction) throws(CassetteError) {
        try add([interaction], served: true)
    }

    /// Adds interactions not yet merged into the file (other recorders' journals), unserved.
    mutating func include(_ interactions: [Interaction]) throws(CassetteError) {
        guard !interactions.isEmpty else { return }
        try add(interactions, served: false)
    }

    private mutating func add(_ new: [Interaction], served isServed: Bool) throws(CassetteError) {
        var interactions: [Interaction]
        switch store {
        case .file(let lazy): interactions = try lazy.all()
        case .memory(let held): interactions = held
        }
        store = .memory([])  // leaves `interactions` the only reference, so appending does not copy
        for interaction in new {
            interactions.append(interaction)
            served.append(isServed)
            buckets[RequestKey(interaction.request, rules: rules).hashValue, default: []].append(interactions.count - 1)
        }
        store = .memory(interactions)
    }

    /// The order interactions are written in: by method, URL and body, so that re-recording
    /// concurrent requests gives the same file; identical requests keep their recorded order.
    static func fileOrder(_ interactions: [Interaction]) -> [Interaction] {
        let keyed = interactions.enumerated().map { (i, interaction) in
            (key: interaction.request.method + " " + interaction.request.url + " " + interaction.request.body.canonicalText,
             index: i, interaction: interaction)
        }
        return keyed.sorted { ($0.key, $0.index) < ($1.key, $1.index) }.map(\.interaction)
    }
}
