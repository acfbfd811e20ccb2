/// A path into a JSON value written with dots: `items.0.description`. In an array, a segment
/// of plain decimal digits (`0`, `12`; not `+1`, `-0` or `01`) is an index; in an object, any
/// segment names a member (so `0` names the member `"0"`). `updating` also takes `*` for
/// every element of an array. Member names that contain a dot cannot be written this way;
/// use `init(segments:)`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public var segments: [String]

    public init(_ dotted: String) {
        segments = dotted.isEmpty ? [] : dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    public init(segments: [String]) { self.segments = segments }

    public var description: String { segments.joined(separator: ".") }

    /// The array index a segment spells: decimal digits without a sign or a leading zero.
    static func index(_ segment: String) -> Int? {
        let digits = segment.utf8
        guard let first = digits.first, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              first != UInt8(ascii: "0") || digits.count == 1 else { return nil }
        return Int(segment)
    }

    /// Whether this path is `prefix` or lies inside it.
    public func starts(with prefix: JSONPath) -> Bool { segments.starts(with: prefix.segments) }
}

/// Why a path selects nothing: the first segment that did not resolve, and what stood there.
public struct JSONPathError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: JSONPath
    /// How many segments resolved before the failing one.
    public var resolvedCount: Int
    public var found: String

    public var description: String {
        let failing = path.segments[resolvedCount]
        let prefix = path.segments.prefix(resolvedCount).joined(separator: ".")
        let place = prefix.isEmpty ? "the value" : "'\(prefix)'"
        return "'\(failing)' does not select anything in \(place), which is \(found)"
    }
}

extension JSONValue {
    /// The value at `path`, or an error naming the first segment that does not resolve.
    public func value(at path: JSONPath) throws(JSONPathError) -> JSONValue {
        var current = self
        for (i, segment) in path.segments.enumerated() {
            switch current {
            case .object(let members) where members[segment] != nil:
                current = members[segment]!
            case .array(let elements):
                guard let index = JSONPath.index(segment), elements.indices.contains(index) else {
                    throw JSONPathError(path: path, resolvedCount: i, found: "an array of \(elements.count) elements")
                }
                current = elements[index]
            case .object(let members):
                let keys = members.keys.sorted().prefix(8).joined(separator: ", ")
                throw JSONPathError(path: path, resolvedCount: i, found: "an object with keys [\(keys)]")
            default:
                throw JSONPathError(path: path, resolvedCount: i, found: "a \(current.typeName)")
            }
        }
        return current
    }

    /// A copy with the value at `path` replaced by `transform` of it; paths that do not
    /// resolve leave the value unchanged.
    public func updating(_ path: JSONPath, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        guard let first = path.segments.first else { return transform(self) }
        let rest = JSONPath(segments: Array(path.segments.dropFirst()))
        switch self {
        case .object(var members):
            guard let child = members[first] else { return self }
            members[first] = child.updating(rest, transform)
            return .object(members)
        case .array(var elements):
            if first == "*" {
                return .array(elements.map { $0.updating(rest, transform) })
            }
            guard let index = JSONPath.index(first), elements.indices.contains(index) else { return self }
            elements[index] = elements[index].updating(rest, transform)
            return .array(elements)
        default:
            return self
        }
    }
}
