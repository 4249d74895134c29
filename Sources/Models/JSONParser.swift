import JSONCore

/// Builds `JSON` values for the shared parser in `JSONCore` (Foundation's `JSONDecoder` needs a trial decode per
/// type for an enum like `JSON`, which made ingestion spend most of its time failing to decode). Objects are
/// dictionaries, so a repeated key keeps its last value.
enum JSONModelBuilder: JSONBuilder {
    /// `null`.
    @inline(__always) static func null() -> JSON { .null }
    /// A boolean.
    @inline(__always) static func bool(_ value: Bool) -> JSON { .bool(value) }
    /// An integer.
    @inline(__always) static func int(_ value: Int64) -> JSON { .int(value) }
    /// A double.
    @inline(__always) static func double(_ value: Double) -> JSON { .double(value) }
    /// A string.
    @inline(__always) static func string(_ value: String) -> JSON { .string(value) }

    /// An array with exactly its elements' room.
    static func array(count: Int, elements next: () -> JSON) -> JSON {
        .array([JSON](exactly: count, from: next))
    }

    /// A dictionary sized for its members; the last of repeated keys wins.
    static func object(count: Int, members next: () -> (key: String, value: JSON)) -> JSON {
        var members = [String: JSON](minimumCapacity: count)
        for _ in 0..<count {
            let (key, value) = next()
            members[key] = value
        }
        return .object(members)
    }
}

extension JSONOutput {
    /// Writes `value` as compact JSON with object keys sorted, so that equal values print equally.
    mutating func write(_ value: JSON) {
        switch value {
        case .null: writeNull()
        case .bool(let flag): writeBool(flag)
        case .int(let number): writeInt(number)
        case .double(let number): writeDouble(number)
        case .string(let text): writeString(text)
        case .array(let elements):
            append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { append(UInt8(ascii: ",")) }
                write(element)
            }
            append(UInt8(ascii: "]"))
        case .object(let members):
            append(UInt8(ascii: "{"))
            for (offset, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if offset > 0 { append(UInt8(ascii: ",")) }
                writeString(member.key)
                append(UInt8(ascii: ":"))
                write(member.value)
            }
            append(UInt8(ascii: "}"))
        }
    }
}
