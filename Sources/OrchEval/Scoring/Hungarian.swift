/// The Hungarian algorithm (Kuhn–Munkres with potentials, O(n²·m)): the assignment of rows to
/// columns with the largest total weight. Rows and columns may differ in number; each row
/// gets at most one column and each column at most one row.
enum Hungarian {
    /// For each row, the column assigned to it (nil when there are more rows than columns and
    /// the row was left out). Weights must be finite.
    static func maximumWeightAssignment(_ weights: [[Double]]) -> [Int?] {
        let rows = weights.count
        let columns = weights.first?.count ?? 0
        guard rows > 0, columns > 0 else { return Array(repeating: nil, count: rows) }
        // The potentials method wants rows ≤ columns and costs to minimise.
        let transposed = rows > columns
        let n = min(rows, columns), m = max(rows, columns)
        let largest = weights.joined().max() ?? 0
        func cost(_ i: Int, _ j: Int) -> Double {
            largest - (transposed ? weights[j][i] : weights[i][j])
        }
        // 1-based arrays as in the classic formulation; index 0 is the virtual start.
        var u = Array(repeating: 0.0, count: n + 1), v = Array(repeating: 0.0, count: m + 1)
        var owner = Array(repeating: 0, count: m + 1)  // owner[j]: the row holding column j
        var way = Array(repeating: 0, count: m + 1)
        for i in 1...n {
            owner[0] = i
            var j0 = 0
            var minimum = Array(repeating: Double.infinity, count: m + 1)
            var used = Array(repeating: false, count: m + 1)
            repeat {
                used[j0] = true
                let i0 = owner[j0]
                var delta = Double.infinity, j1 = 0
                for j in 1...m where !used[j] {
                    let reduced = cost(i0 - 1, j - 1) - u[i0] - v[j]
                    if reduced < minimum[j] { minimum[j] = reduced; way[j] = j0 }
                    if minimum[j] < delta { delta = minimum[j]; j1 = j }
                }
                for j in 0...m {
                    if used[j] { u[owner[j]] += delta; v[j] -= delta } else { minimum[j] -= delta }
                }
                j0 = j1
            } while owner[j0] != 0
            repeat {
                let j1 = way[j0]
                owner[j0] = owner[j1]
                j0 = j1
            } while j0 != 0
        }
        var assignment = Array<Int?>(repeating: nil, count: rows)
        for j in 1...m where owner[j] != 0 {
            if transposed { assignment[j - 1] = owner[j] - 1 } else { assignment[owner[j] - 1] = j - 1 }
        }
        return assignment
    }
}
