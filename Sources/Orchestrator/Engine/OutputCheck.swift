import OrchJSON

extension ToolOutput {
    /// Why the run cannot keep this output, or nil. A NaN or infinite number (e.g. a sum of
    /// huge amounts) has no JSON form: `--json`, the idempotency store and the synthesis would
    /// all write text that no JSON reader accepts.
    var problem: StepError? {
        // The common case walks the values once and allocates nothing.
        guard !value.isFiniteThroughout || metadata.values.contains(where: { !$0.isFiniteThroughout }) else { return nil }
        let places = [("output", value)] + metadata.sorted { $0.key < $1.key }.map { ("metadata.\($0.key)", $0.value) }
        for (place, value) in places {
            if let (path, number) = value.firstNonFiniteNumber() {
                let location = ([place] + path).joined(separator: ".")
                return StepError(code: "invalid_output", message: "the tool returned \(number) at \(location), a number JSON cannot hold")
            }
        }
        return nil
    }
}
