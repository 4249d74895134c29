/// The project's one JSON parser: strict RFC 8259 over UTF-8 bytes, recursive descent, building values through a
/// `JSONBuilder`.
///
/// - Numbers without fraction or exponent that fit 64 bits are integers, all others doubles; a number beyond
///   `Double` range (`1e400`) is an error rather than an infinity.
/// - Strings: escapes resolved; an escaped surrogate pair is one scalar; a lone surrogate escape becomes U+FFFD and
///   the escape after it is read on its own; invalid UTF-8 bytes become U+FFFD.
/// - Arrays and objects nest at most `maxDepth` levels, so recursion stays bounded.
/// - No byte-order mark, comments, trailing commas or text after the value (whitespace aside).
public struct JSONParser<Builder: JSONBuilder> {
    /// The deepest array/object nesting accepted.
    public static var maxDepth: Int { 512 }

    /// The UTF-8 text.
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    /// Offset of the next byte to read.
    @usableFromInline var position = 0
    /// How many arrays/objects enclose `position`.
    @usableFromInline var depth = 0
    /// Values and keys of the containers being parsed.
    @usableFromInline var stacks = JSONParseStacks<Builder.Value>()
    /// Where strings with escapes are decoded; kept across strings to reuse its memory.
    @usableFromInline var scratch: [UInt8] = []

    /// A parser at the start of `bytes`.
    @inlinable init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Parses one JSON document from `bytes`.
    @inlinable
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> Builder.Value {
        var parser = JSONParser(bytes)
        defer { parser.stacks.release() }
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.position < bytes.count {
            throw JSONParseError(message: "Unexpected data after JSON value", offset: parser.position)
        }
        return value
    }

    /// The byte at `position`, or 0 (never valid there) at the end of the input.
    @inlinable @inline(__always)
    func peek() -> UInt8 { position < bytes.count ? bytes[position] : 0 }

    /// Skips the four whitespace bytes JSON allows: space, tab, line feed, carriage return.
    @inlinable @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position &+= 1
            default: return
            }
        }
    }

    /// Reads any value (no whitespace before it).
    @inlinable
    mutating func parseValue() throws(JSONParseError) -> Builder.Value {
        guard position < bytes.count else {
            throw JSONParseError(message: "Unexpected end of JSON input", offset: position)
        }
        switch bytes[position] {
        case UInt8(ascii: "\""): return Builder.string(try parseString())
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return Builder.bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return Builder.bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return Builder.null()
        default: throw JSONParseError(message: "Unexpected character in JSON", offset: position)
        }
    }

    /// Reads `true`, `false` or `null`; an error points at the first wrong byte, or at the end of a cut-off input.
    @inlinable
    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else {
            throw JSONParseError(message: "Unexpected end of JSON input", offset: bytes.count)
        }
        for offset in 0..<count where bytes[position + offset] != literal.utf8Start[offset] {
            throw JSONParseError(message: "Invalid literal in JSON", offset: position + offset)
        }
        position += count
    }

    /// Counts one more level of nesting; an error past `maxDepth`, at the opening bracket.
    @inlinable
    mutating func enterNesting() throws(JSONParseError) {
        depth += 1
        if depth > Self.maxDepth {
            throw JSONParseError(message: "JSON nested deeper than \(Self.maxDepth) levels", offset: position)
        }
    }

    /// Reads an object (the `{` is at `position`): keys and values go onto the stacks, then to the builder.
    @inlinable
    mutating func parseObject() throws(JSONParseError) -> Builder.Value {
        try enterNesting()
        position &+= 1
        let keyBase = stacks.keyCount
        skipWhitespace()
        if peek() != UInt8(ascii: "}") {
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else {
                    throw JSONParseError(message: "Expected string key in JSON object", offset: position)
                }
                stacks.push(key: try parseString())
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else {
                    throw JSONParseError(message: "Expected ':' in JSON object", offset: position)
                }
                position &+= 1
                skipWhitespace()
                stacks.push(try parseValue())
                skipWhitespace()
                let next = peek()
                if next == UInt8(ascii: ",") {
                    position &+= 1
                } else if next == UInt8(ascii: "}") {
                    break
                } else {
                    throw JSONParseError(message: "Expected ',' or '}' in JSON object", offset: position)
                }
            }
        }
        position &+= 1
        depth -= 1
        return stacks.popObject(from: keyBase, Builder.self)
    }

    /// Reads an array (the `[` is at `position`): elements go onto the stack, then to the builder.
    @inlinable
    mutating func parseArray() throws(JSONParseError) -> Builder.Value {
        try enterNesting()
        position &+= 1
        let base = stacks.valueCount
        skipWhitespace()
        if peek() != UInt8(ascii: "]") {
            while true {
                skipWhitespace()
                stacks.push(try parseValue())
                skipWhitespace()
                let next = peek()
                if next == UInt8(ascii: ",") {
                    position &+= 1
                } else if next == UInt8(ascii: "]") {
                    break
                } else {
                    throw JSONParseError(message: "Expected ',' or ']' in JSON array", offset: position)
                }
            }
        }
        position &+= 1
        depth -= 1
        return stacks.popArray(from: base, Builder.self)
    }

    /// True for `0`…`9`.
    @inlinable @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Reads a number. Integers of up to 19 digits are accumulated as they are read; doubles whose significant digits
    /// fit 2^53 and whose decimal exponent is at most 22 in magnitude are one exact multiplication or division
    /// (correctly rounded, as both operands are exact); everything else goes through the standard library.
    @inlinable
    mutating func parseNumber() throws(JSONParseError) -> Builder.Value {
        let start = position
        let negative = peek() == UInt8(ascii: "-")
        if negative { position &+= 1 }
        var mantissa: UInt64 = 0
        var digits = 0  // significant digits accumulated in `mantissa` (leading zeros excluded)
        var dropped = false  // a non-zero digit did not fit in `mantissa`
        var exponent = 0  // decimal exponent to apply to `mantissa`
        if peek() == UInt8(ascii: "0") {
            position &+= 1
        } else if Self.isDigit(peek()) {
            while Self.isDigit(peek()) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[position] &- UInt8(ascii: "0"))
                    digits &+= 1
                } else {
                    exponent &+= 1
                    if bytes[position] != UInt8(ascii: "0") { dropped = true }
                }
                position &+= 1
            }
        } else {
            throw JSONParseError(message: "Invalid number in JSON", offset: position)
        }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position &+= 1
            guard Self.isDigit(peek()) else { throw JSONParseError(message: "Invalid number in JSON", offset: position) }
            while Self.isDigit(peek()) {
                let digit = bytes[position] &- UInt8(ascii: "0")
                if digits < 19 {
                    if digits > 0 || digit != 0 {
                        mantissa = mantissa &* 10 &+ UInt64(digit)
                        digits &+= 1
                    }
                    exponent &-= 1
                } else if digit != 0 {
                    dropped = true
                }
                position &+= 1
            }
        }
        if peek() | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            position &+= 1
            var exponentNegative = false
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") {
                exponentNegative = peek() == UInt8(ascii: "-")
                position &+= 1
            }
            guard Self.isDigit(peek()) else { throw JSONParseError(message: "Invalid number in JSON", offset: position) }
            var written = 0
            while Self.isDigit(peek()) {
                if written < 100_000 { written = written &* 10 &+ Int(bytes[position] &- UInt8(ascii: "0")) }
                position &+= 1
            }
            exponent &+= exponentNegative ? -written : written
        }
        if isInteger && exponent == 0 {  // at most 19 digits, all in `mantissa`
            if negative {
                if mantissa <= UInt64(Int64.max) + 1 { return Builder.int(Int64(truncatingIfNeeded: 0 &- mantissa)) }
            } else if mantissa <= UInt64(Int64.max) {
                return Builder.int(Int64(mantissa))
            }
        }
        if !dropped, mantissa < 1 << 53, exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 {
                value /= JSONNumbers.powerOfTen(-exponent)
            } else if exponent > 0 {
                value *= JSONNumbers.powerOfTen(exponent)
            }
            return Builder.double(negative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text) else { throw JSONParseError(message: "Invalid number in JSON", offset: start) }
        guard value.isFinite else { throw JSONParseError(message: "Number out of range in JSON", offset: start) }
        return Builder.double(value)
    }

    /// Reads a string literal (the opening quote is at `position`).
    @inlinable
    mutating func parseString() throws(JSONParseError) -> String {
        position &+= 1
        let start = position
        // Fast path, eight bytes at a time: no escape before the closing quote.
        while position &+ 8 <= bytes.count {
            let word = UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped + position).loadUnaligned(as: UInt64.self)
            if JSONBytes.hasQuoteBackslashOrControl(word) { break }
            position &+= 8
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position &+= 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw JSONParseError(message: "Bad control character in JSON string", offset: position) }
            position &+= 1
        }
        return try parseEscapedString(from: start)
    }

    /// The rest of a string with escapes, decoded into `scratch`.
    @inlinable
    mutating func parseEscapedString(from start: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position &+= 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte < 0x20 { throw JSONParseError(message: "Bad control character in JSON string", offset: position) }
            if byte != UInt8(ascii: "\\") {
                scratch.append(byte)
                position &+= 1
                continue
            }
            position &+= 1
            guard position < bytes.count else { break }
            let escape = bytes[position]
            position &+= 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var code = try readHex4()
                if code >= 0xD800 && code <= 0xDBFF && peek() == UInt8(ascii: "\\") && position + 1 < bytes.count
                    && bytes[position + 1] == UInt8(ascii: "u")
                {
                    // A high surrogate: combined with a following low one, else U+FFFD and that escape read anew.
                    let save = position
                    position &+= 2
                    let low = try readHex4()
                    if low >= 0xDC00 && low <= 0xDFFF {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position = save
                    }
                }
                JSONBytes.appendUTF8(code >= 0xD800 && code <= 0xDFFF ? 0xFFFD : code, to: &scratch)
            default:
                throw JSONParseError(message: "Bad escaped character in JSON", offset: position - 1)
            }
        }
        throw JSONParseError(message: "Unterminated string in JSON", offset: position)
    }

    /// Reads the four hex digits of a `\u` escape.
    @inlinable
    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else {
            throw JSONParseError(message: "Bad Unicode escape in JSON", offset: position)
        }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw JSONParseError(message: "Bad Unicode escape in JSON", offset: position)
            }
            code = code << 4 | digit
            position &+= 1
        }
        return code
    }
}

/// Powers of ten for the parser's exact double path.
@usableFromInline
enum JSONNumbers {
    /// 10^`exponent` for 0...22, each exactly representable as a `Double`.
    @inlinable @inline(__always)
    static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }
}
