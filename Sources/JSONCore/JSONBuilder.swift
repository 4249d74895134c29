/// Makes the values of one JSON representation for `JSONParser`, so that each representation (the GraphQL engine's
/// ordered `Value`, the models' unordered `JSON`, a test's tree) is built directly from the bytes, with no
/// intermediate tree. The parser is generic over its builder and `@inlinable`, so the compiler specialises it for each
/// builder in the builder's module: the calls below cost no more than the enum constructors they usually are.
public protocol JSONBuilder {
    /// The value type built.
    associatedtype Value

    /// `null`.
    static func null() -> Value
    /// `true` or `false`.
    static func bool(_ value: Bool) -> Value
    /// A number written without fraction or exponent that fits 64 bits.
    static func int(_ value: Int64) -> Value
    /// Any other number (always finite: the parser rejects numbers beyond `Double` range).
    static func double(_ value: Double) -> Value
    /// A string, escapes resolved.
    static func string(_ value: String) -> Value
    /// An array of `count` elements, which `next` hands over in document order: call it exactly `count` times.
    static func array(count: Int, elements next: () -> Value) -> Value
    /// An object of `count` members, which `next` hands over in document order: call it exactly `count` times.
    /// Keys may repeat (RFC 8259 leaves that open); what a repeated key means is the builder's choice.
    static func object(count: Int, members next: () -> (key: String, value: Value)) -> Value
}

extension JSONBuilder {
    /// Parses strict JSON (RFC 8259) from UTF-8 bytes into this builder's values; see `JSONParser`.
    ///
    /// Call it (and the overloads below) where the builder is a concrete type, not from code that is generic over
    /// something else (such as a `some Collection<UInt8>` argument): unspecialised generic code would run the
    /// parser unspecialised too, several times slower.
    @inlinable
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> Value {
        try JSONParser<Self>.parse(bytes)
    }

    /// Parses strict JSON from UTF-8 bytes.
    @inlinable
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> Value {
        try bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) -> Value in try JSONParser<Self>.parse(buffer) }
        }.get()
    }

    /// Parses strict JSON text.
    @inlinable
    public static func parse(_ text: String) throws(JSONParseError) -> Value {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> Value in try JSONParser<Self>.parse(buffer) }
        }.get()
    }
}

/// A JSON text that could not be parsed.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// The UTF-8 byte offset where it went wrong.
    public var offset: Int

    /// Creates an error.
    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// `message at offset N`.
    public var description: String { "\(message) at offset \(offset)" }
}

/// The parser's stacks: values of the containers being parsed (elements, member values) and member keys, kept in
/// manually managed memory so that each finished container is built with its exact size and its values are moved,
/// not copied, into it. One pair of allocations serves a whole document.
@usableFromInline
struct JSONParseStacks<Value> {
    /// Element and member values, `valueCount` of them initialised; nil until the first push.
    @usableFromInline var values: UnsafeMutablePointer<Value>?
    /// How many values are on the stack.
    @usableFromInline var valueCount = 0
    /// How many values fit before the stack grows.
    @usableFromInline var valueCapacity = 0
    /// Member keys, `keyCount` of them initialised; nil until the first push.
    @usableFromInline var keys: UnsafeMutablePointer<String>?
    /// How many keys are on the stack.
    @usableFromInline var keyCount = 0
    /// How many keys fit before the stack grows.
    @usableFromInline var keyCapacity = 0

    /// Empty stacks; nothing is allocated until the first container.
    @inlinable init() {}

    /// Pushes a container element or member value.
    @inlinable @inline(__always)
    mutating func push(_ value: consuming Value) {
        if valueCount == valueCapacity { growValues() }
        (values.unsafelyUnwrapped + valueCount).initialize(to: value)
        valueCount &+= 1
    }

    /// Pushes a member key.
    @inlinable @inline(__always)
    mutating func push(key: consuming String) {
        if keyCount == keyCapacity { growKeys() }
        (keys.unsafelyUnwrapped + keyCount).initialize(to: key)
        keyCount &+= 1
    }

    /// Doubles the value stack's room (64 values at first), moving what it holds.
    @inlinable
    mutating func growValues() {
        (values, valueCapacity) = Self.grown(values, count: valueCount, capacity: max(64, valueCapacity * 2))
    }

    /// Doubles the key stack's room (32 keys at first), moving what it holds.
    @inlinable
    mutating func growKeys() {
        (keys, keyCapacity) = Self.grown(keys, count: keyCount, capacity: max(32, keyCapacity * 2))
    }

    /// A buffer of `capacity` elements holding the `count` elements moved out of `old`, which is freed.
    @inlinable
    static func grown<Element>(
        _ old: UnsafeMutablePointer<Element>?, count: Int, capacity: Int
    ) -> (UnsafeMutablePointer<Element>, Int) {
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        if let old {
            grown.moveInitialize(from: old, count: count)
            old.deallocate()
        }
        return (grown, capacity)
    }

    /// Builds an array from the values pushed since `base` and pops them.
    @inlinable
    mutating func popArray<Builder: JSONBuilder>(from base: Int, _ builder: Builder.Type) -> Value where Builder.Value == Value {
        let count = valueCount - base
        guard count > 0 else { return Builder.array(count: 0) { preconditionFailure("no elements") } }
        let start = values.unsafelyUnwrapped + base
        var taken = 0
        let array = Builder.array(count: count) {
            precondition(taken < count, "JSONBuilder.array took more elements than it was given")
            defer { taken &+= 1 }
            return (start + taken).move()
        }
        if taken < count { (start + taken).deinitialize(count: count - taken) }
        valueCount = base
        return array
    }

    /// Builds an object from the keys pushed since `keyBase` and as many values, and pops them.
    @inlinable
    mutating func popObject<Builder: JSONBuilder>(from keyBase: Int, _ builder: Builder.Type) -> Value
    where Builder.Value == Value {
        let count = keyCount - keyBase
        guard count > 0 else { return Builder.object(count: 0) { preconditionFailure("no members") } }
        let keyStart = keys.unsafelyUnwrapped + keyBase
        let valueStart = values.unsafelyUnwrapped + (valueCount - count)
        var taken = 0
        let object = Builder.object(count: count) {
            precondition(taken < count, "JSONBuilder.object took more members than it was given")
            defer { taken &+= 1 }
            return ((keyStart + taken).move(), (valueStart + taken).move())
        }
        if taken < count {
            (keyStart + taken).deinitialize(count: count - taken)
            (valueStart + taken).deinitialize(count: count - taken)
        }
        keyCount = keyBase
        valueCount -= count
        return object
    }

    /// Frees the memory, first dropping whatever a failed parse left on the stacks.
    @inlinable
    mutating func release() {
        if let values {
            values.deinitialize(count: valueCount)
            values.deallocate()
        }
        if let keys {
            keys.deinitialize(count: keyCount)
            keys.deallocate()
        }
        values = nil
        keys = nil
        valueCount = 0
        keyCount = 0
        valueCapacity = 0
        keyCapacity = 0
    }
}

extension Array {
    /// Exactly `count` elements taken from `next` in order, allocated once: how builders make a JSON array from the
    /// elements the parser pops.
    @inlinable
    public init(exactly count: Int, from next: () -> Element) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { (buffer.baseAddress! + index).initialize(to: next()) }
            initialized = count
        }
    }
}
