/// A growable byte buffer over raw memory that JSON writers append to: every byte goes through it without the
/// uniqueness and bounds checks of `Array.append`. It writes JSON text exactly as JavaScript's `JSON.stringify` does
/// (same escapes, same number formatting, `null` for non-finite numbers); what values are and in which order object
/// members come is the caller's business (an extension per value type, in that type's module).
/// Noncopyable: it owns its memory and frees it when it goes away.
public struct JSONOutput: ~Copyable {
    /// The memory.
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    /// How many bytes `base` has room for.
    @usableFromInline var capacity: Int
    /// How many bytes have been written.
    @usableFromInline var count = 0

    /// An empty buffer with room for `capacity` bytes before it first grows.
    @inlinable
    public init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    /// Frees the memory.
    deinit { base.deallocate() }

    /// The bytes written so far, as an array.
    public func bytes() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let target = buffer.baseAddress { target.initialize(from: base, count: count) }
            initialized = count
        }
    }

    /// The bytes written so far, as a string.
    public func string() -> String {
        String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    /// Appends the bytes written so far to `buffer`.
    public func appendBytes(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
    }

    /// Makes room for `extra` more bytes.
    @inlinable @inline(__always)
    public mutating func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(count &+ extra) }
    }

    /// Moves to memory with room for at least `needed` bytes, doubling the capacity.
    @usableFromInline
    mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends one byte (JSON punctuation: `{`, `,`, `:` …).
    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    /// Appends raw bytes.
    @inlinable
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: start, count: bytes.count)
        count &+= bytes.count
    }

    /// Appends a literal's bytes.
    @inlinable
    public mutating func append(_ string: StaticString) {
        append(UnsafeBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount))
    }

    /// Appends `null`.
    @inlinable
    public mutating func writeNull() { append("null") }

    /// Appends `true` or `false`.
    @inlinable
    public mutating func writeBool(_ flag: Bool) { append(flag ? "true" : "false") }

    /// Appends `value` in decimal.
    @inlinable
    public mutating func writeInt(_ value: Int) { writeInt(Int64(value)) }

    /// Appends `value` in decimal.
    public mutating func writeInt(_ value: Int64) {
        reserve(20)
        if value >= 0 && value < 10 {
            base[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)
            count &+= 1
            return
        }
        if value < 0 {
            base[count] = UInt8(ascii: "-")
            count &+= 1
        }
        var magnitude = value.magnitude
        var digits = 0
        var probe = magnitude
        repeat {
            digits &+= 1
            probe /= 10
        } while probe > 0
        var index = count &+ digits
        repeat {
            index &-= 1
            base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        count &+= digits
    }

    /// Appends `number` as JavaScript prints it (`JSNumber.format`); non-finite numbers, which JSON cannot hold,
    /// become `null` as in `JSON.stringify`.
    public mutating func writeDouble(_ number: Double) {
        guard number.isFinite else { return writeNull() }
        if number.magnitude < 9_007_199_254_740_992, let integer = JSNumber.exactInteger(number) {
            writeInt(integer)
        } else {
            var text = JSNumber.format(number)
            text.withUTF8 { append($0) }
        }
    }

    /// Appends `string` quoted, escaping like `JSON.stringify`: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other
    /// control characters as `\u00XX`; everything else (`/`, DEL, non-ASCII) as is.
    public mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            // Worst case: every byte becomes a six-byte `\u00XX` escape, plus the quotes.
            reserve(bytes.count &* 6 &+ 2)
            var out = base + count
            out.pointee = UInt8(ascii: "\"")
            out += 1
            var position = 0
            let total = bytes.count
            if let source = bytes.baseAddress {
                while position < total {
                    // Eight bytes at a time when none needs escaping.
                    if position &+ 8 <= total {
                        let word = UnsafeRawPointer(source + position).loadUnaligned(as: UInt64.self)
                        if !JSONBytes.hasQuoteBackslashOrControl(word) {
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
                        out = JSONBytes.writeEscape(for: byte, at: out)
                    }
                    position &+= 1
                }
            }
            out.pointee = UInt8(ascii: "\"")
            out += 1
            count = out - base
        }
    }
}

/// Byte-level helpers shared by the parser and the writer.
@usableFromInline
enum JSONBytes {
    /// True when one of the eight bytes of `word` is below 0x20, `"` or `\` (SWAR tests: never a false negative,
    /// and a positive always has a matching byte).
    @inlinable @inline(__always)
    static func hasQuoteBackslashOrControl(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteHit = (quote &- ones) & ~quote & highs
        let backslashHit = (backslash &- ones) & ~backslash & highs
        return (control | quoteHit | backslashHit) != 0
    }

    /// Writes the escape for `byte` (a control character, `"` or `\`) at `out`; returns the position after it.
    @usableFromInline
    static func writeEscape(for byte: UInt8, at out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
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

    /// Appends the UTF-8 encoding of the scalar `code` (not a surrogate, at most 0x10FFFF).
    @inlinable
    static func appendUTF8(_ code: UInt32, to bytes: inout [UInt8]) {
        switch code {
        case ..<0x80:
            bytes.append(UInt8(code))
        case ..<0x800:
            bytes.append(0xC0 | UInt8(code >> 6))
            bytes.append(0x80 | UInt8(code & 0x3F))
        case ..<0x10000:
            bytes.append(0xE0 | UInt8(code >> 12))
            bytes.append(0x80 | UInt8((code >> 6) & 0x3F))
            bytes.append(0x80 | UInt8(code & 0x3F))
        default:
            bytes.append(0xF0 | UInt8(code >> 18))
            bytes.append(0x80 | UInt8((code >> 12) & 0x3F))
            bytes.append(0x80 | UInt8((code >> 6) & 0x3F))
            bytes.append(0x80 | UInt8(code & 0x3F))
        }
    }
}

/// Low-level JSON text emitters for code that assembles JSON by hand (response serialisers).
public enum JSONWriter {
    /// Appends `value` in decimal.
    public static func writeInt(_ value: Int, into buffer: inout [UInt8]) {
        var output = JSONOutput(capacity: 24)
        output.writeInt(value)
        output.appendBytes(to: &buffer)
    }

    /// Appends `string` as a quoted JSON string, escaping like `JSON.stringify`.
    public static func writeString(_ string: String, into buffer: inout [UInt8]) {
        var output = JSONOutput(capacity: string.utf8.count * 6 + 2)
        output.writeString(string)
        output.appendBytes(to: &buffer)
    }
}
