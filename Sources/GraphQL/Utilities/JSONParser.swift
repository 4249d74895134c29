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

extension Value {
    /// The deepest array/object nesting `init(jsonBytes:)` accepts, to keep recursion bounded.
    public static let maxJSONDepth = 512

    /// Parses strict JSON (RFC 8259) from UTF-8 bytes, keeping object key order.
    ///
    /// Numbers without fraction or exponent that fit in `Int` become `.int`, all others `.double`.
    /// A repeated key keeps its first position and its last value, as `JSON.parse` does.
    public init(jsonBytes bytes: some Collection<UInt8>) throws(JSONParseError) {
        let result: Result<Value, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) -> Value in try JSONParser.parse(buffer) }
        }
        if let result {
            self = try result.get()
        } else {
            let array = Array(bytes)
            self = try array.withUnsafeBufferPointer { buffer in
                Result { () throws(JSONParseError) -> Value in try JSONParser.parse(buffer) }
            }.get()
        }
    }

    /// Parses strict JSON text.
    public init(json text: String) throws(JSONParseError) {
        var text = text
        self = try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> Value in try JSONParser.parse(buffer) }
        }.get()
    }
}

/// A recursive-descent JSON parser over a UTF-8 buffer.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> Value {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.position < bytes.count {
            throw JSONParseError(message: "Unexpected data after JSON value", offset: parser.position)
        }
        return value
    }

    @inline(__always) func peek() -> UInt8 {
        position < bytes.count ? bytes[position] : 0
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> Value {
        guard position < bytes.count else {
            throw JSONParseError(message: "Unexpected end of JSON input", offset: position)
        }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw JSONParseError(message: "Unexpected character in JSON", offset: position)
        }
    }

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

    mutating func enterNesting() throws(JSONParseError) {
        depth += 1
        if depth > Value.maxJSONDepth {
            throw JSONParseError(message: "JSON nested deeper than \(Value.maxJSONDepth) levels", offset: position)
        }
    }

    mutating func parseObject() throws(JSONParseError) -> Value {
        try enterNesting()
        position += 1
        var object = OrderedObject()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw JSONParseError(message: "Expected string key in JSON object", offset: position)
            }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else {
                throw JSONParseError(message: "Expected ':' in JSON object", offset: position)
            }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            object[key] = value
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return .object(object)
            default: throw JSONParseError(message: "Expected ',' or '}' in JSON object", offset: position)
            }
        }
    }

    mutating func parseArray() throws(JSONParseError) -> Value {
        try enterNesting()
        position += 1
        var elements: [Value] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .list(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return .list(elements)
            default: throw JSONParseError(message: "Expected ',' or ']' in JSON array", offset: position)
            }
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> Value {
        let start = position
        var isInteger = true
        if peek() == UInt8(ascii: "-") { position += 1 }
        if peek() == UInt8(ascii: "0") {
            position += 1
        } else if isDigit(peek()) {
            while isDigit(peek()) { position += 1 }
        } else {
            throw JSONParseError(message: "Invalid number in JSON", offset: position)
        }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard isDigit(peek()) else { throw JSONParseError(message: "Invalid number in JSON", offset: position) }
            while isDigit(peek()) { position += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard isDigit(peek()) else { throw JSONParseError(message: "Invalid number in JSON", offset: position) }
            while isDigit(peek()) { position += 1 }
        }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
        if isInteger, slice.count <= 19, let value = Self.parseInt(slice) {
            return .int(value)
        }
        let text = String(decoding: slice, as: UTF8.self)
        guard let double = Double(text) else {
            throw JSONParseError(message: "Invalid number in JSON", offset: start)
        }
        if isInteger, let exact = Int(text) {
            return .int(exact)
        }
        return .double(double)
    }

    static func parseInt(_ slice: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        var negative = false
        if slice[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        var result = 0
        while index < slice.count {
            let (multiplied, overflow1) = result.multipliedReportingOverflow(by: 10)
            let digit = Int(slice[index] &- UInt8(ascii: "0"))
            let (added, overflow2) = negative
                ? multiplied.subtractingReportingOverflow(digit) : multiplied.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            result = added
            index += 1
        }
        return result
    }

    @inline(__always) func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    mutating func parseString() throws(JSONParseError) -> String {
        position += 1
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw JSONParseError(message: "Bad control character in JSON string", offset: position) }
            position += 1
        }
        var scratch = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte < 0x20 { throw JSONParseError(message: "Bad control character in JSON string", offset: position) }
            if byte != UInt8(ascii: "\\") {
                scratch.append(byte)
                position += 1
                continue
            }
            position += 1
            guard position < bytes.count else { break }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var code = try readHex4()
                if (0xD800...0xDBFF).contains(code), peek() == UInt8(ascii: "\\"),
                    position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
                {
                    let save = position
                    position += 2
                    let low = try readHex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position = save
                    }
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                scratch.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw JSONParseError(message: "Bad escaped character in JSON", offset: position - 1)
            }
        }
        throw JSONParseError(message: "Unterminated string in JSON", offset: position)
    }

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
            position += 1
        }
        return code
    }
}
