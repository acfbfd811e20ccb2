/// Levenshtein distance (insertions, deletions, substitutions), for the "did you mean" hints
/// on misspelt step ids, tool, function, field and option names.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for (i, ca) in a.enumerated() {
        var diagonal = row[0]
        row[0] = i + 1
        for (j, cb) in b.enumerated() {
            let above = row[j + 1]
            row[j + 1] = min(above + 1, row[j] + 1, diagonal + (ca == cb ? 0 : 1))
            diagonal = above
        }
    }
    return row[b.count]
}

/// 1 − edit distance / longer length, after lower-casing and collapsing spaces: how alike two
/// item descriptions are (1 equal, 0.8 one slip in five characters).
public func textSimilarity(_ a: String, _ b: String) -> Double {
    func normalized(_ text: String) -> String { text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    let x = normalized(a), y = normalized(b)
    let longer = max(x.count, y.count)
    return longer == 0 ? 1 : 1 - Double(editDistance(x, y)) / Double(longer)
}
