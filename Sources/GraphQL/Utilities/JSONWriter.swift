extension Value {
    /// The compact JSON text of the value, byte-for-byte what JavaScript's `JSON.stringify` produces
    /// (same number formatting, same escapes; non-finite doubles become `null`).
    public func jsonString() -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64)
        writeJSON(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends the compact JSON text of the value to `buffer` as UTF-8.
    public func writeJSON(into buffer: inout [UInt8]) {
        switch self {
        case .null:
            buffer.append(contentsOf: JSONBytes.null)
        case .bool(let value):
            buffer.append(contentsOf: value ? JSONBytes.true : JSONBytes.false)
        case .int(let value):
            JSONWriter.writeInt(value, into: &buffer)
        case .double(let value):
            if value.isFinite {
                if let integer = exactInteger(value), integer.magnitude < 9_007_199_254_740_992 {
                    JSONWriter.writeInt(integer, into: &buffer)
                } else {
                    buffer.append(contentsOf: JSNumber.format(value).utf8)
                }
            } else {
                buffer.append(contentsOf: JSONBytes.null)
            }
        case .string(let value):
            JSONWriter.writeString(value, into: &buffer)
        case .list(let values):
            buffer.append(UInt8(ascii: "["))
            var first = true
            for element in values {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                element.writeJSON(into: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let object):
            buffer.append(UInt8(ascii: "{"))
            for position in object.indices {
                if position > 0 { buffer.append(UInt8(ascii: ",")) }
                JSONWriter.writeString(object.keyStorage[position], into: &buffer)
                buffer.append(UInt8(ascii: ":"))
                object.valueStorage[position].writeJSON(into: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }
}

private enum JSONBytes {
    static let null: StaticString = "null"
    static let `true`: StaticString = "true"
    static let `false`: StaticString = "false"
}

extension Array where Element == UInt8 {
    @inline(__always) mutating func append(contentsOf string: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount))
    }
}

/// Low-level JSON text emitters shared by the value writer and response serialisers.
public enum JSONWriter {
    /// Appends `value` in decimal.
    public static func writeInt(_ value: Int, into buffer: inout [UInt8]) {
        if value >= 0 && value < 10 {
            buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var count = 0
            repeat {
                digits[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            if value < 0 { buffer.append(UInt8(ascii: "-")) }
            while count > 0 {
                count -= 1
                buffer.append(digits[count])
            }
        }
    }

    /// Appends `string` as a quoted JSON string, escaping like `JSON.stringify`.
    public static func writeString(_ string: String, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            var position = 0
            let count = bytes.count
            while position < count {
                let byte = bytes[position]
                if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                    position += 1
                    continue
                }
                if position > runStart {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                }
                appendEscape(for: byte, into: &buffer)
                position += 1
                runStart = position
            }
            if count > runStart {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(for byte: UInt8, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case 0x08: buffer.append(UInt8(ascii: "b"))
        case 0x0C: buffer.append(UInt8(ascii: "f"))
        case 0x0A: buffer.append(UInt8(ascii: "n"))
        case 0x0D: buffer.append(UInt8(ascii: "r"))
        case 0x09: buffer.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            buffer.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            buffer.append(hex.utf8Start[Int(byte >> 4)])
            buffer.append(hex.utf8Start[Int(byte & 0xF)])
        }
    }
}

/// Formats doubles exactly like JavaScript's `Number.prototype.toString()`.
public enum JSNumber {
    /// The JavaScript string form of `value`: `1`, `0.5`, `1e+21`, `1e-7`, `NaN`, `-Infinity`.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return "0" }
        if value.magnitude < 9_007_199_254_740_992, let integer = exactInteger(value) {
            return String(integer)
        }
        // Swift's description yields the shortest round-tripping digits, like ECMAScript's algorithm;
        // only the layout differs. Without an exponent or a ".0" (1e-4 <= |x| < 2^53, non-integral) both agree.
        let swiftText = value.description
        if !swiftText.utf8.contains(UInt8(ascii: "e")) && !swiftText.hasSuffix(".0") { return swiftText }
        // Otherwise re-lay the digits out following Number::toString.
        let text = value.magnitude.description
        var digits: [UInt8] = []
        var pointPosition: Int?
        var exponent = 0
        var leadingZeros = 0
        var seenNonZero = false
        var utf8 = text.utf8.makeIterator()
        var mantissaLength = 0
        while let byte = utf8.next() {
            if byte == UInt8(ascii: ".") {
                pointPosition = mantissaLength
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                var rest: [UInt8] = []
                while let next = utf8.next() { rest.append(next) }
                exponent = Int(String(decoding: rest, as: UTF8.self)) ?? 0
                break
            } else {
                if byte == UInt8(ascii: "0") && !seenNonZero {
                    leadingZeros += 1
                } else {
                    seenNonZero = true
                    digits.append(byte)
                }
                mantissaLength += 1
            }
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        let k = digits.count
        let n = (pointPosition ?? mantissaLength) + exponent - leadingZeros
        var result = value < 0 ? "-" : ""
        if k <= n && n <= 21 {
            result += String(decoding: digits, as: UTF8.self)
            result += String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            result += String(decoding: digits[0..<n], as: UTF8.self)
            result += "."
            result += String(decoding: digits[n...], as: UTF8.self)
        } else if -6 < n && n <= 0 {
            result += "0."
            result += String(repeating: "0", count: -n)
            result += String(decoding: digits, as: UTF8.self)
        } else {
            result += String(decoding: digits[0..<1], as: UTF8.self)
            if k > 1 {
                result += "."
                result += String(decoding: digits[1...], as: UTF8.self)
            }
            result += "e"
            result += n - 1 >= 0 ? "+" : "-"
            result += String((n - 1).magnitude)
        }
        return result
    }
}
