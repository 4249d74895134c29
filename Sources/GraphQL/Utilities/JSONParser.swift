import JSONCore

/// A JSON text that could not be parsed: message and byte offset (defined with the shared parser in `JSONCore`).
public typealias JSONParseError = JSONCore.JSONParseError

extension Value {
    /// The deepest array/object nesting `init(jsonBytes:)` accepts, to keep recursion bounded.
    public static let maxJSONDepth = JSONParser<ValueBuilder>.maxDepth

    /// Parses strict JSON (RFC 8259) from UTF-8 bytes, keeping object key order.
    ///
    /// Numbers without fraction or exponent that fit in `Int` become `.int`, all others `.double`; numbers beyond
    /// `Double` range are an error. A repeated key keeps its first position and its last value.
    public init(jsonBytes bytes: some Collection<UInt8>) throws(JSONParseError) {
        // The parsing itself happens in non-generic `parseJSON`, so that it runs specialised for `ValueBuilder`.
        if let result = bytes.withContiguousStorageIfAvailable(Self.parseJSON) {
            self = try result.get()
        } else {
            self = try Array(bytes).withUnsafeBufferPointer(Self.parseJSON).get()
        }
    }

    /// Parses strict JSON text.
    public init(json text: String) throws(JSONParseError) {
        self = try ValueBuilder.parse(text)
    }

    /// Parses the JSON in `buffer`, as a `Result` to pass through the standard library's untyped `rethrows`.
    static func parseJSON(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<Value, JSONParseError> {
        Result { () throws(JSONParseError) -> Value in try ValueBuilder.parse(buffer) }
    }
}

/// Builds `Value`s for the shared JSON parser: objects keep document order, a repeated key keeps its first
/// position and takes its last value (JavaScript's `JSON.parse` semantics).
enum ValueBuilder: JSONBuilder {
    /// `null`.
    @inline(__always) static func null() -> Value { .null }
    /// A boolean.
    @inline(__always) static func bool(_ value: Bool) -> Value { .bool(value) }
    /// An integer (`Int` is 64 bits on every platform the server runs on).
    @inline(__always) static func int(_ value: Int64) -> Value { .int(Int(value)) }
    /// A double.
    @inline(__always) static func double(_ value: Double) -> Value { .double(value) }
    /// A string.
    @inline(__always) static func string(_ value: String) -> Value { .string(value) }

    /// A list with exactly its elements' room.
    static func array(count: Int, elements next: () -> Value) -> Value {
        .list([Value](exactly: count, from: next))
    }

    /// An object in document order; a repeated key keeps its first position and takes its last value.
    static func object(count: Int, members next: () -> (key: String, value: Value)) -> Value {
        var object = OrderedObject(minimumCapacity: count)
        for _ in 0..<count {
            let (key, value) = next()
            object[key] = value
        }
        return .object(object)
    }
}
