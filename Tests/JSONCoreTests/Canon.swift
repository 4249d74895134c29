import GraphQL
import Models

/// A representation-neutral JSON tree the tests compare parsers' results in: integers as `Int64` whichever width the
/// parser used, doubles by bit pattern (so `-0.0` and `0.0` differ), objects as ordered members with each key once.
indirect enum Canon: Hashable, Sendable, CustomStringConvertible {
    /// `null`
    case null
    /// `true` / `false`
    case bool(Bool)
    /// A number that a parser classified as an integer.
    case int(Int64)
    /// A number that a parser classified as a double, by its bits.
    case double(bits: UInt64)
    /// A string.
    case string(String)
    /// An array.
    case array([Canon])
    /// An object: keys in first-appearance order, each once.
    case object([Member])

    /// One object member.
    struct Member: Hashable, Sendable {
        /// The key.
        var key: String
        /// The value.
        var value: Canon
    }

    /// A double by value.
    static func real(_ value: Double) -> Canon { .double(bits: value.bitPattern) }

    /// The tree `Models.JSON` holds; objects come out with sorted keys, as that type keeps no order.
    init(_ json: JSON) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .double(let number): self = .real(number)
        case .string(let text): self = .string(text)
        case .array(let elements): self = .array(elements.map(Canon.init))
        case .object(let members):
            self = .object(members.sorted { $0.key < $1.key }.map { Member(key: $0.key, value: Canon($0.value)) })
        }
    }

    /// The tree a GraphQL `Value` holds, keeping its object order.
    init(_ value: GraphQL.Value) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(Int64(number))
        case .double(let number): self = .real(number)
        case .string(let text): self = .string(text)
        case .list(let elements): self = .array(elements.map(Canon.init))
        case .object(let object): self = .object(object.map { Member(key: $0.key, value: Canon($0.value)) })
        }
    }

    /// The same tree with every object's members sorted by key: what is left to compare with an unordered parser.
    var sortedKeys: Canon {
        switch self {
        case .array(let elements): .array(elements.map(\.sortedKeys))
        case .object(let members): .object(members.sorted { $0.key < $1.key }.map { Member(key: $0.key, value: $0.value.sortedKeys) })
        default: self
        }
    }

    /// The tree as `Models.JSON`.
    var json: JSON {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .double(let bits): .double(Double(bitPattern: bits))
        case .string(let text): .string(text)
        case .array(let elements): .array(elements.map(\.json))
        case .object(let members): .object(Dictionary(members.map { ($0.key, $0.value.json) }, uniquingKeysWith: { $1 }))
        }
    }

    /// The tree as a GraphQL `Value`, keeping member order.
    var value: GraphQL.Value {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(Int(number))
        case .double(let bits): .double(Double(bitPattern: bits))
        case .string(let text): .string(text)
        case .array(let elements): .list(elements.map(\.value))
        case .object(let members): .object(OrderedObject(members.map { ($0.key, $0.value.value) }))
        }
    }

    /// True when some number in the tree is a non-finite double.
    var hasNonFiniteNumber: Bool {
        switch self {
        case .double(let bits): !Double(bitPattern: bits).isFinite
        case .array(let elements): elements.contains { $0.hasNonFiniteNumber }
        case .object(let members): members.contains { $0.value.hasNonFiniteNumber }
        default: false
        }
    }

    /// A short debugging form.
    var description: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .int(let number): "int(\(number))"
        case .double(let bits): "double(\(Double(bitPattern: bits)))"
        case .string(let text): String(reflecting: text)
        case .array(let elements): "[" + elements.map(\.description).joined(separator: ", ") + "]"
        case .object(let members): "{" + members.map { "\(String(reflecting: $0.key)): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

extension Canon: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `null`.
    init(nilLiteral: ()) { self = .null }
    /// A boolean.
    init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer.
    init(integerLiteral value: Int64) { self = .int(value) }
    /// A double.
    init(floatLiteral value: Double) { self = .real(value) }
    /// A string.
    init(stringLiteral value: String) { self = .string(value) }
    /// An array.
    init(arrayLiteral elements: Canon...) { self = .array(elements) }
    /// An object, members in the order written (write each key once).
    init(dictionaryLiteral elements: (String, Canon)...) { self = .object(elements.map { Member(key: $0.0, value: $0.1) }) }
}

/// What one parser made of one input: a tree, or a rejection at a byte offset.
enum Outcome: Hashable, Sendable, CustomStringConvertible {
    /// Parsed.
    case accepted(Canon)
    /// Rejected at this offset.
    case rejected(offset: Int)

    /// True when accepted.
    var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }

    /// A short debugging form.
    var description: String {
        switch self {
        case .accepted(let tree): "accepted \(tree)"
        case .rejected(let offset): "rejected at \(offset)"
        }
    }
}
