import OrchJSON

extension JSONValue {
    /// This object with `other`'s members added (other wins); other values are returned unchanged.
    func merging(_ other: [String: JSONValue]) -> JSONValue {
        guard var object = objectValue else { return self }
        object.merge(other) { _, new in new }
        return .object(object)
    }
}
