import OrchJSON

/// F1 of predicted receipt items against expected ones. Items pair up by a maximum-weight
/// matching on description similarity (the Hungarian algorithm again, so one sloppy name
/// cannot steal another's partner); a pair is a hit when the descriptions are similar
/// enough and quantity and total lie within tolerance.
enum ItemListScore {
    struct Result { var f1: Double; var hits: Int; var predicted: Int; var misses: [String] }

    static func score(expected: [ExpectedItem], actual: [JSONValue], tolerance: ItemTolerance) -> Result {
        let predicted = actual.map { item in
            (description: item["description"]?.stringValue ?? "", quantity: item["quantity"]?.doubleValue ?? 1,
             total: item["total"]?.doubleValue ?? .nan)
        }
        let weights = expected.map { e in predicted.map { p in textSimilarity(e.description, p.description) } }
        let assignment = Hungarian.maximumWeightAssignment(weights)
        var hits = 0
        var misses: [String] = []
        for (ei, pi) in assignment.enumerated() {
            let e = expected[ei]
            guard let pi else { misses.append("'\(e.description)' not found"); continue }
            let p = predicted[pi]
            if weights[ei][pi] < tolerance.description {
                misses.append("'\(e.description)' not found (closest '\(p.description)')")
            } else if abs(p.quantity - e.quantity) > tolerance.quantity {
                misses.append("'\(e.description)' quantity \(format(p.quantity)), expected \(format(e.quantity))")
            } else if !(abs(p.total - e.total) <= tolerance.total + 1e-9) {
                misses.append("'\(e.description)' total \(format(p.total)), expected \(format(e.total))")
            } else {
                hits += 1
            }
        }
        let f1 = f1(truePositives: Double(hits), predicted: Double(predicted.count), golden: Double(expected.count))
        return Result(f1: f1, hits: hits, predicted: predicted.count, misses: misses)
    }

    private static func format(_ number: Double) -> String { JSONValue.number(number).serialized() }
}
