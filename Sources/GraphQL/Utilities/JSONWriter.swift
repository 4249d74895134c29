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
        var output = JSONOutput(capacity: 1024)
        defer { output.deallocate() }
        output.write(self)
        output.appendBytes(to: &buffer)
    }
}

/// A growable byte buffer over raw memory: the serialiser writes every byte through it without the
/// uniqueness and bounds checks of `Array.append`.
struct JSONOutput {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0

    /// Allocates `capacity` bytes; call `deallocate()` when done.
    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    /// Frees the memory.
    func deallocate() { base.deallocate() }

    /// The bytes written so far, as an array.
    func bytes() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let target = buffer.baseAddress { target.initialize(from: base, count: count) }
            initialized = count
        }
    }

    /// Appends the bytes written so far to `buffer`.
    func appendBytes(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
    }

    @inline(__always) private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: start, count: bytes.count)
        count += bytes.count
    }

    @inline(__always) mutating func append(_ string: StaticString) {
        append(UnsafeBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount))
    }

    /// Writes `value` as compact JSON.
    mutating func write(_ value: Value) {
        switch value {
        case .null:
            append(JSONBytes.null)
        case .bool(let flag):
            append(flag ? JSONBytes.true : JSONBytes.false)
        case .int(let integer):
            writeInt(integer)
        case .double(let number):
            if number.isFinite {
                if let integer = exactInteger(number), integer.magnitude < 9_007_199_254_740_992 {
                    writeInt(integer)
                } else {
                    var text = JSNumber.format(number)
                    text.withUTF8 { append($0) }
                }
            } else {
                append(JSONBytes.null)
            }
        case .string(let string):
            writeString(string)
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

    /// Appends `value` in decimal.
    mutating func writeInt(_ value: Int) {
        reserve(20)
        if value >= 0 && value < 10 {
            base[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)
            count += 1
            return
        }
        if value < 0 {
            base[count] = UInt8(ascii: "-")
            count += 1
        }
        var magnitude = value.magnitude
        var digits = 0
        var probe = magnitude
        repeat {
            digits += 1
            probe /= 10
        } while probe > 0
        var index = count + digits
        repeat {
            index -= 1
            base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        count += digits
    }

    /// Appends `string` quoted, escaping like `JSON.stringify`.
    mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            // Worst case: every byte becomes a six-byte `\u00XX` escape, plus the quotes.
            reserve(bytes.count &* 6 &+ 2)
            var out = base + count
            out.pointee = UInt8(ascii: "\"")
            out += 1
            var position = 0
            let total = bytes.count
            guard let source = bytes.baseAddress else {
                out.pointee = UInt8(ascii: "\"")
                count = out + 1 - base
                return
            }
            while position < total {
                // Eight bytes at a time when none needs escaping (a control character, `"` or `\\`).
                if position &+ 8 <= total {
                    let word = UnsafeRawPointer(source + position).loadUnaligned(as: UInt64.self)
                    if !JSONOutput.needsEscape(word) {
                        UnsafeMutableRawPointer(out).storeBytes(of: word, as: UInt64.self)
                        out += 8
                        position &+= 8
                        continue
                    }
                }
                let byte = source[position]
                if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                    out.pointee = byte
                    out += 1
                } else {
                    out = JSONOutput.writeEscape(for: byte, at: out)
                }
                position &+= 1
            }
            out.pointee = UInt8(ascii: "\"")
            out += 1
            count = out - base
        }
    }

    /// True when one of the eight bytes of `word` is below 0x20, `"` or `\\` (exact SWAR zero-byte tests).
    @inline(__always) private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteHit = (quote &- ones) & ~quote & highs
        let backslashHit = (backslash &- ones) & ~backslash & highs
        return (control | quoteHit | backslashHit) != 0
    }

    private static func writeEscape(for byte: UInt8, at out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        out[0] = UInt8(ascii: "\\")
        let short: UInt8
        switch byte {
        case UInt8(ascii: "\""): short = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): short = UInt8(ascii: "\\")
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        default:
            let hex: StaticString = "0123456789abcdef"
            out[1] = UInt8(ascii: "u")
            out[2] = UInt8(ascii: "0")
            out[3] = UInt8(ascii: "0")
            out[4] = hex.utf8Start[Int(byte >> 4)]
            out[5] = hex.utf8Start[Int(byte & 0xF)]
            return out + 6
        }
        out[1] = short
        return out + 2
    }
}

private enum JSONBytes {
    static let null: StaticString = "null"
    static let `true`: StaticString = "true"
    static let `false`: StaticString = "false"
}

/// Low-level JSON text emitters shared by the value writer and response serialisers.
public enum JSONWriter {
    /// Appends `value` in decimal.
    public static func writeInt(_ value: Int, into buffer: inout [UInt8]) {
        var output = JSONOutput(capacity: 24)
        defer { output.deallocate() }
        output.writeInt(value)
        output.appendBytes(to: &buffer)
    }

    /// Appends `string` as a quoted JSON string, escaping like `JSON.stringify`.
    public static func writeString(_ string: String, into buffer: inout [UInt8]) {
        var output = JSONOutput(capacity: string.utf8.count * 6 + 2)
        defer { output.deallocate() }
        output.writeString(string)
        output.appendBytes(to: &buffer)
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
