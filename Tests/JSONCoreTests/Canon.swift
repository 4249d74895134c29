import GraphQL
import JSONCore
import Models

/// A representation-neutral JSON tree the tests compare results in: integers as `Int64` whichever width the value type
/// uses, doubles by bit pattern (so `-0.0` and `0.0` differ), objects as ordered members with each key once.
indirect enum Canon: Hashable, Sendable, CustomStringConvertible {
    /// `null`
    case null
    /// `true` / `false`
    case bool(Bool)
    /// A number classified as an integer.
    case int(Int64)
    /// A number classified as a double, by its bits.
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

    /// The same tree with every object's members sorted by key: what is left to compare with an unordered value type.
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

    /// The tree with every number as a double and `-0.0` as `0.0`: what is compared after writing and parsing back,
    /// since the writer prints integral doubles as integers (`2.0` as `2`, `-0.0` as `0`, `1e17` with its shortest
    /// digits, which parse back as an integer that rounds to the same double).
    var numbersAsDoubles: Canon {
        switch self {
        case .int(let number): return .real(Double(number))
        case .double(let bits): return .real(Double(bitPattern: bits) == 0 ? 0 : Double(bitPattern: bits))
        case .array(let elements): return .array(elements.map(\.numbersAsDoubles))
        case .object(let members): return .object(members.map { Member(key: $0.key, value: $0.value.numbersAsDoubles) })
        default: return self
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

/// Builds `Canon` trees straight from the shared parser, with the GraphQL engine's object semantics (a repeated key
/// keeps its first position and its last value): a third builder, defined here, to test the parser on its own.
enum CanonBuilder: JSONBuilder {
    /// `null`.
    static func null() -> Canon { .null }
    /// A boolean.
    static func bool(_ value: Bool) -> Canon { .bool(value) }
    /// An integer.
    static func int(_ value: Int64) -> Canon { .int(value) }
    /// A double.
    static func double(_ value: Double) -> Canon { .real(value) }
    /// A string.
    static func string(_ value: String) -> Canon { .string(value) }

    /// An array.
    static func array(count: Int, elements next: () -> Canon) -> Canon { .array((0..<count).map { _ in next() }) }

    /// An object: first position, last value for a repeated key.
    static func object(count: Int, members next: () -> (key: String, value: Canon)) -> Canon {
        var members: [Canon.Member] = []
        for _ in 0..<count {
            let (key, value) = next()
            if let existing = members.firstIndex(where: { $0.key == key }) {
                members[existing].value = value
            } else {
                members.append(Canon.Member(key: key, value: value))
            }
        }
        return .object(members)
    }
}

/// What parsing one input gave: a tree, or a rejection at a byte offset.
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
