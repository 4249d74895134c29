import JSONCore

/// Formats doubles exactly like JavaScript's `Number.prototype.toString()` (defined in `JSONCore`).
public typealias JSNumber = JSONCore.JSNumber

/// Low-level JSON text emitters shared by the value writer and response serialisers (defined in `JSONCore`).
public typealias JSONWriter = JSONCore.JSONWriter

extension Value {
    /// The compact JSON text of the value, byte-for-byte what JavaScript's `JSON.stringify` produces
    /// (same number formatting, same escapes; non-finite doubles become `null`).
    public func jsonString() -> String {
        var output = JSONOutput(capacity: 64)
        output.write(self)
        return output.string()
    }

    /// Appends the compact JSON text of the value to `buffer` as UTF-8.
    public func writeJSON(into buffer: inout [UInt8]) {
        var output = JSONOutput(capacity: 1024)
        output.write(self)
        output.appendBytes(to: &buffer)
    }
}

extension JSONOutput {
    /// Writes `value` as compact JSON, object members in their order.
    mutating func write(_ value: Value) {
        switch value {
        case .null: writeNull()
        case .bool(let flag): writeBool(flag)
        case .int(let integer): writeInt(integer)
        case .double(let number): writeDouble(number)
        case .string(let string): writeString(string)
        case .list(let values):
            append(UInt8(ascii: "["))
            var first = true
            for element in values {
                if !first { append(UInt8(ascii: ",")) }
                first = false
                write(element)
            }
            append(UInt8(ascii: "]"))
        case .object(let object):
            append(UInt8(ascii: "{"))
            let keys = object.keyStorage
            let values = object.valueStorage
            for position in keys.indices {
                if position > 0 { append(UInt8(ascii: ",")) }
                writeString(keys[position])
                append(UInt8(ascii: ":"))
                write(values[position])
            }
            append(UInt8(ascii: "}"))
        }
    }
}
