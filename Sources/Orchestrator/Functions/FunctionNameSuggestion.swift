import OrchJSON

/// The registered name a mistyped one most likely meant (`compute_taxes` → `compute_tax`),
/// when one is within a couple of edits.
func closestName(to name: String, among names: [String]) -> String? {
    let target = name.lowercased()
    let allowed = max(1, min(3, target.count / 4))
    let scored = names.map { ($0, editDistance(target, $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= allowed else { return nil }
    return best.0
}
