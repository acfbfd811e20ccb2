import Foundation

/// The interactions of an open cassette and which of them have been served. Lives behind
/// the transport's lock.
struct ReplayState {
    private(set) var cassette: Cassette
    private let rules: MatchingRules
    /// Interaction indices per request identity, in recorded order.
    private var buckets: [RequestKey: [Int]] = [:]
    /// How many of each bucket have been served.
    private var served: [RequestKey: Int] = [:]

    init(cassette: Cassette, rules: MatchingRules) {
        self.cassette = cassette
        self.rules = rules
        for (i, interaction) in cassette.interactions.enumerated() {
            buckets[RequestKey(interaction.request, rules: rules), default: []].append(i)
        }
    }

    enum Lookup {
        case hit(index: Int, Interaction)
        /// Recorded `count` times, all already served.
        case exhausted(count: Int)
        /// Never recorded; the recorded requests, to find the closest.
        case none(candidates: [RecordedRequest])
    }

    mutating func next(for key: RequestKey, allowRepeats: Bool) -> Lookup {
        guard let bucket = buckets[key] else { return .none(candidates: cassette.interactions.map(\.request)) }
        let position = served[key, default: 0]
        if position < bucket.count {
            served[key] = position + 1
            return .hit(index: bucket[position], cassette.interactions[bucket[position]])
        }
        if allowRepeats, let last = bucket.last { return .hit(index: last, cassette.interactions[last]) }
        return .exhausted(count: bucket.count)
    }

    /// Adds a freshly recorded interaction, already counted as served; returns its index.
    mutating func append(_ interaction: Interaction) -> Int {
        let key = RequestKey(interaction.request, rules: rules)
        cassette.interactions.append(interaction)
        let index = cassette.interactions.count - 1
        buckets[key, default: []].append(index)
        served[key, default: 0] += 1
        return index
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
