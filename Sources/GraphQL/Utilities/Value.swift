/// A JSON value: what variables, results, default values and the `JSON` scalar are made of.
///
/// Integers and doubles are distinct cases so that `1` and `1.0` can be told apart where the spec cares
/// (Int coercion), while the JSON writer prints integral doubles the way JavaScript does (`1`, not `1.0`).
public enum Value: Sendable, Hashable {
    /// JSON `null`.
    case null
    /// JSON `true` / `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits.
    case int(Int)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case list([Value])
    /// An object whose keys keep their insertion order.
    case object(OrderedObject)
}

extension Value {
    /// True for `.null`.
    @inlinable public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The payload of `.bool`.
    @inlinable public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The payload of `.int`, or a `.double` that holds an integral value representable as `Int`.
    @inlinable public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value):
            return exactInteger(value)
        default: return nil
        }
    }

    /// The numeric payload of `.int` or `.double` as a `Double`.
    @inlinable public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The payload of `.string`.
    @inlinable public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The payload of `.list`.
    @inlinable public var listValue: [Value]? {
        if case .list(let value) = self { return value }
        return nil
    }

    /// The payload of `.object`.
    @inlinable public var objectValue: OrderedObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The member `key` of an object value; nil for missing keys and non-objects.
    @inlinable public subscript(key: String) -> Value? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The element at `index` of a list value; nil when out of range or not a list.
    @inlinable public subscript(index: Int) -> Value? {
        if case .list(let list) = self, list.indices.contains(index) { return list[index] }
        return nil
    }
}

/// `value` as an `Int` when it is integral and in range (no libm needed, unlike `Int(exactly:)`).
@inlinable func exactInteger(_ value: Double) -> Int? {
    guard value.isFinite, value >= -9.223_372_036_854_775_808e18, value < 9.223_372_036_854_775_808e18 else {
        return nil
    }
    let integer = Int(value)
    return Double(integer) == value ? integer : nil
}

extension Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `nil` is JSON `null`.
    @inlinable public init(nilLiteral: ()) { self = .null }
    /// A boolean literal.
    @inlinable public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer literal.
    @inlinable public init(integerLiteral value: Int) { self = .int(value) }
    /// A floating-point literal.
    @inlinable public init(floatLiteral value: Double) { self = .double(value) }
    /// A string literal.
    @inlinable public init(stringLiteral value: String) { self = .string(value) }
    /// An array literal.
    @inlinable public init(arrayLiteral elements: Value...) { self = .list(elements) }
    /// A dictionary literal; key order is preserved.
    public init(dictionaryLiteral elements: (String, Value)...) {
        var object = OrderedObject(minimumCapacity: elements.count)
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension Value: CustomStringConvertible {
    /// The compact JSON text of the value.
    public var description: String { jsonString() }
}

/// An insertion-ordered map from `String` keys to `Value`s, the object representation of `Value`.
///
/// Small objects are searched linearly; from `indexThreshold` entries on a hash index is kept as well.
/// Setting an existing key keeps its position (JavaScript object semantics).
public struct OrderedObject: Sendable, RandomAccessCollection {
    /// One key/value pair.
    public typealias Element = (key: String, value: Value)
    /// Positions are plain offsets.
    public typealias Index = Int

    @usableFromInline var keyStorage: [String]
    @usableFromInline var valueStorage: [Value]
    @usableFromInline var lookup: [String: Int]?

    /// Objects this large get a hash index when keys are set by name; `appendUnchecked` never creates one,
    /// so that building wide results stays cheap.
    @usableFromInline static var indexThreshold: Int { 24 }

    /// An empty object.
    @inlinable public init() {
        keyStorage = []
        valueStorage = []
        lookup = nil
    }

    /// An empty object with room for `minimumCapacity` entries.
    @inlinable public init(minimumCapacity: Int) {
        keyStorage = []
        valueStorage = []
        keyStorage.reserveCapacity(minimumCapacity)
        valueStorage.reserveCapacity(minimumCapacity)
        lookup = nil
    }

    /// An object from pairs in order; a repeated key keeps its first position and its last value.
    @inlinable public init<S: Sequence>(_ pairs: S) where S.Element == (String, Value) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    /// The first position.
    @inlinable public var startIndex: Int { 0 }
    /// One past the last position.
    @inlinable public var endIndex: Int { keyStorage.count }
    /// The number of entries.
    @inlinable public var count: Int { keyStorage.count }
    /// True when there are no entries.
    @inlinable public var isEmpty: Bool { keyStorage.isEmpty }

    /// The entry at `position`.
    @inlinable public subscript(position: Int) -> Element {
        (keyStorage[position], valueStorage[position])
    }

    /// The keys in insertion order.
    @inlinable public var keys: [String] { keyStorage }
    /// The values in insertion order.
    @inlinable public var values: [Value] { valueStorage }

    /// The position of `key`, if present.
    @inlinable public func index(forKey key: String) -> Int? {
        if let lookup { return lookup[key] }
        for position in keyStorage.indices where keyStorage[position] == key { return position }
        return nil
    }

    /// True if `key` is present (even when its value is `.null`).
    @inlinable public func contains(key: String) -> Bool { index(forKey: key) != nil }

    /// Reads, replaces, appends or (when set to nil) removes the value for `key`.
    @inlinable public subscript(key: String) -> Value? {
        get {
            guard let position = index(forKey: key) else { return nil }
            return valueStorage[position]
        }
        set {
            if let newValue {
                if let position = index(forKey: key) {
                    valueStorage[position] = newValue
                } else {
                    appendUnchecked(key: key, value: newValue)
                    if lookup == nil && keyStorage.count >= Self.indexThreshold { rebuildLookup() }
                }
            } else if let position = index(forKey: key) {
                keyStorage.remove(at: position)
                valueStorage.remove(at: position)
                if lookup != nil { rebuildLookup() }
            }
        }
    }

    /// Appends an entry without checking whether `key` already exists; the caller guarantees uniqueness.
    @inlinable public mutating func appendUnchecked(key: String, value: Value) {
        keyStorage.append(key)
        valueStorage.append(value)
        if lookup != nil {
            lookup![key] = keyStorage.count - 1
        }
    }

    /// Reserves room for `minimumCapacity` entries.
    @inlinable public mutating func reserveCapacity(_ minimumCapacity: Int) {
        keyStorage.reserveCapacity(minimumCapacity)
        valueStorage.reserveCapacity(minimumCapacity)
    }

    @usableFromInline mutating func rebuildLookup() {
        guard keyStorage.count >= Self.indexThreshold else {
            lookup = nil
            return
        }
        var map = [String: Int](minimumCapacity: keyStorage.count)
        for (position, key) in keyStorage.enumerated() where map[key] == nil { map[key] = position }
        lookup = map
    }
}

extension OrderedObject: Hashable {
    /// Objects are equal when they hold the same entries in the same order.
    @inlinable public static func == (lhs: OrderedObject, rhs: OrderedObject) -> Bool {
        lhs.keyStorage == rhs.keyStorage && lhs.valueStorage == rhs.valueStorage
    }

    /// Hashes the entries in order.
    @inlinable public func hash(into hasher: inout Hasher) {
        hasher.combine(keyStorage)
        hasher.combine(valueStorage)
    }
}

extension OrderedObject: ExpressibleByDictionaryLiteral {
    /// A dictionary literal; key order is preserved.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(minimumCapacity: elements.count)
        for (key, value) in elements { self[key] = value }
    }
}

extension OrderedObject: CustomStringConvertible {
    /// The compact JSON text of the object.
    public var description: String { Value.object(self).jsonString() }
}
