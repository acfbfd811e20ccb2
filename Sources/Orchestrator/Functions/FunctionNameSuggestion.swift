/// The registered name a mistyped one most likely meant (`compute_taxes` → `compute_tax`),
/// when one is within a couple of edits.
func closestName(to name: String, among names: [String]) -> String? {
    let target = Array(name.lowercased())
    let allowed = max(1, min(3, target.count / 4))
    let scored = names.map { ($0, editDistance(target, Array($0.lowercased()))) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= allowed else { return nil }
    return best.0
}

/// Levenshtein distance: insertions, deletions and substitutions.
private func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    guard !a.isEmpty else { return b.count }
    var previous = Array(0...b.count)
    for (i, ca) in a.enumerated() {
        var current = [i + 1]
        for (j, cb) in b.enumerated() {
            current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
        }
        previous = current
    }
    return previous[b.count]
}
