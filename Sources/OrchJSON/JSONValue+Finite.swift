extension JSONValue {
    /// Whether every number inside is finite. JSON has no NaN or infinity, so a value holding
    /// one cannot be written faithfully. Walks once and allocates nothing.
    public var isFiniteThroughout: Bool {
        switch self {
        case .number(let n): n.isFinite
        case .array(let elements): elements.allSatisfy(\.isFiniteThroughout)
        case .object(let members): members.values.allSatisfy(\.isFiniteThroughout)
        default: true
        }
    }

    /// The path to the first NaN or infinite number (object keys in sorted order) and the
    /// number, or nil when every number is finite.
    public func firstNonFiniteNumber() -> (path: [String], number: Double)? {
        guard !isFiniteThroughout else { return nil }
        switch self {
        case .number(let n):
            return ([], n)
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let (path, n) = element.firstNonFiniteNumber() { return ([String(index)] + path, n) }
            }
        case .object(let members):
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if let (path, n) = member.firstNonFiniteNumber() { return ([key] + path, n) }
            }
        default:
            break
        }
        return nil
    }
}
