/// A syntax error before it is located: small, so that throwing it through deep recursion stays cheap.
struct SyntaxFailure: Error {
    /// UTF-8 byte offset of the failure.
    let offset: Int
    /// The message without the `Syntax Error: ` prefix.
    let description: String

    /// The public error, with line and column computed from `source`.
    func located(in source: Source) -> GraphQLError {
        GraphQLError.syntaxError(source: source, offset: offset, description: description)
    }
}

/// The GraphQL lexer: a port of graphql-js `language/lexer.js` working on UTF-8 bytes.
///
/// Token positions are byte offsets; lines and columns match graphql-js (columns in UTF-16 units),
/// and every error is reported at the same place and with the same wording as graphql-js.
public struct Lexer {
    let source: Source
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where the next token search starts (the end of the previous token).
    var position = 0
    /// The current line (1-based).
    var line = 1
    /// Byte offset at which the current line starts.
    var lineStart = 0
    /// UTF-8 bytes minus UTF-16 units of the characters seen on the current line so far.
    var lineAdjust = 0
    /// The decoded value of the last string or block string token.
    var stringValue: String?

    init(source: Source, bytes: UnsafeBufferPointer<UInt8>) {
        self.source = source
        self.bytes = bytes
    }

    /// All tokens of `source`, comments included, ending with the EOF token; values filled for every kind
    /// that has one.
    public static func tokenize(_ source: Source) throws(GraphQLError) -> [Token] {
        var body = source.body
        return try body.withUTF8 { buffer in
            Result { () throws(SyntaxFailure) -> [Token] in
                var lexer = Lexer(source: source, bytes: buffer)
                var tokens: [Token] = []
                while true {
                    let raw = try lexer.nextToken()
                    var token = Token(kind: raw.kind, start: raw.start, end: raw.end, line: raw.line, column: raw.column)
                    switch raw.kind {
                    case .name, .int, .float:
                        token.value = lexer.text(raw.start, raw.end)
                    case .comment:
                        token.value = lexer.text(raw.start + 1, raw.end)
                    case .string, .blockString:
                        token.value = lexer.stringValue
                    default:
                        break
                    }
                    tokens.append(token)
                    if raw.kind == .eof { return tokens }
                }
            }
        }.mapError { $0.located(in: source) }.get()
    }

    // MARK: - Helpers

    /// The byte at `offset`, or 0 past the end (graphql-js reads NaN there; no comparison matches either).
    @inline(__always) func byte(_ offset: Int) -> UInt8 {
        offset < bytes.count ? bytes[offset] : 0
    }

    /// The source text of a byte range.
    @inline(__always) func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// True if the bytes of `start..<end` spell `keyword`.
    @inline(__always) func text(_ start: Int, _ end: Int, equals keyword: StaticString) -> Bool {
        let count = keyword.utf8CodeUnitCount
        guard end - start == count else { return false }
        let pointer = keyword.utf8Start
        for index in 0..<count where bytes[start + index] != pointer[index] { return false }
        return true
    }

    /// The column of a token starting at `start` on the current line.
    @inline(__always) func column(at start: Int) -> Int {
        1 + start - lineStart - lineAdjust
    }

    /// Records a non-ASCII byte on the current line for the UTF-16 column correction.
    @inline(__always) mutating func noteNonASCII(_ byte: UInt8) {
        if byte < 0xC0 {
            lineAdjust += 1
        } else if byte >= 0xF0 {
            lineAdjust -= 1
        }
    }

    @inline(__always) mutating func makeToken(_ kind: TokenKind, _ start: Int, _ end: Int) -> RawToken {
        position = end
        return RawToken(kind: kind, start: start, end: end, line: line, column: column(at: start))
    }

    /// A syntax failure at `offset`; built out of line so that hot frames stay small.
    @inline(never)
    func syntaxError(_ offset: Int, _ description: String) -> SyntaxFailure {
        SyntaxFailure(offset: offset, description: description)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    static func isNameStart(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 || byte == 0x5F }

    static func isNameContinue(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 || byte == 0x5F
    }

    /// The Unicode scalar whose UTF-8 encoding starts at `offset`.
    func scalar(at offset: Int) -> UInt32 {
        let lead = bytes[offset]
        if lead < 0x80 { return UInt32(lead) }
        var scalar: UInt32
        var extra: Int
        if lead >= 0xF0 {
            scalar = UInt32(lead & 0x07)
            extra = 3
        } else if lead >= 0xE0 {
            scalar = UInt32(lead & 0x0F)
            extra = 2
        } else {
            scalar = UInt32(lead & 0x1F)
            extra = 1
        }
        var index = offset + 1
        while extra > 0 && index < bytes.count {
            scalar = scalar << 6 | UInt32(bytes[index] & 0x3F)
            index += 1
            extra -= 1
        }
        return scalar
    }

    /// graphql-js `printCodePointAt`: `<EOF>`, a quoted printable ASCII character, or `U+XXXX`.
    func printCodePoint(at offset: Int) -> String {
        guard offset < bytes.count else { return TokenKind.eof.description }
        let code = scalar(at: offset)
        if code >= 0x20 && code <= 0x7E {
            let character = String(UnicodeScalar(UInt8(code)))
            return character == "\"" ? "'\"'" : "\"\(character)\""
        }
        let hex = String(code, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The text starting at byte `offset` spanning `units` UTF-16 code units (JavaScript `slice`), clamped.
    func sliceUTF16(from offset: Int, units: Int) -> String {
        var end = offset
        var remaining = units
        while remaining > 0 && end < bytes.count {
            let lead = bytes[end]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            remaining -= length == 4 ? 2 : 1
            end = min(end + length, bytes.count)
        }
        return text(offset, end)
    }

    @inline(never)
    func unexpectedCharacter(_ offset: Int, _ code: UInt8) -> SyntaxFailure {
        if code == 0x27 {
            return syntaxError(offset, "Unexpected single quote character ('), did you mean to use a double quote (\")?")
        }
        return syntaxError(offset, "Unexpected character: \(printCodePoint(at: offset)).")
    }

    @inline(never)
    func numberError(_ offset: Int, _ prefix: String) -> SyntaxFailure {
        syntaxError(offset, "\(prefix): \(printCodePoint(at: offset)).")
    }

    // MARK: - Tokens

    /// The next token, comments included (graphql-js `readNextToken`).
    @inline(never)
    mutating func nextToken() throws(SyntaxFailure) -> RawToken {
        var offset = position
        let count = bytes.count
        while offset < count {
            let code = bytes[offset]
            // Fast paths for the commonest bytes, ahead of the jump table below.
            if code == 0x20 || code == 0x2C || code == 0x09 {
                offset += 1
                continue
            }
            if Self.isNameStart(code) {
                return readName(offset)
            }
            switch code {
            case 0x0A:
                offset += 1
                line += 1
                lineStart = offset
                lineAdjust = 0
                continue
            case 0x0D:
                offset += byte(offset + 1) == 0x0A ? 2 : 1
                line += 1
                lineStart = offset
                lineAdjust = 0
                continue
            case 0xEF where byte(offset + 1) == 0xBB && byte(offset + 2) == 0xBF:
                // U+FEFF byte order mark: 3 bytes, 1 UTF-16 unit.
                offset += 3
                lineAdjust += 2
                continue
            case 0x23: return readComment(offset)
            case 0x21: return makeToken(.bang, offset, offset + 1)
            case 0x24: return makeToken(.dollar, offset, offset + 1)
            case 0x26: return makeToken(.amp, offset, offset + 1)
            case 0x28: return makeToken(.parenL, offset, offset + 1)
            case 0x29: return makeToken(.parenR, offset, offset + 1)
            case 0x2E:
                if byte(offset + 1) == 0x2E && byte(offset + 2) == 0x2E {
                    return makeToken(.spread, offset, offset + 3)
                }
            case 0x3A: return makeToken(.colon, offset, offset + 1)
            case 0x3D: return makeToken(.equals, offset, offset + 1)
            case 0x40: return makeToken(.at, offset, offset + 1)
            case 0x5B: return makeToken(.bracketL, offset, offset + 1)
            case 0x5D: return makeToken(.bracketR, offset, offset + 1)
            case 0x7B: return makeToken(.braceL, offset, offset + 1)
            case 0x7C: return makeToken(.pipe, offset, offset + 1)
            case 0x7D: return makeToken(.braceR, offset, offset + 1)
            case 0x22:
                if byte(offset + 1) == 0x22 && byte(offset + 2) == 0x22 {
                    return try readBlockString(offset)
                }
                return try readString(offset)
            default:
                break
            }
            if Self.isDigit(code) || code == 0x2D {
                return try readNumber(offset, code)
            }
            if Self.isNameStart(code) {
                return readName(offset)
            }
            throw unexpectedCharacter(offset, code)
        }
        return makeToken(.eof, count, count)
    }

    /// The next token that is not a comment (graphql-js `Lexer.lookahead` loop).
    @inline(__always) mutating func nextSignificantToken() throws(SyntaxFailure) -> RawToken {
        while true {
            let token = try nextToken()
            if token.kind != .comment { return token }
        }
    }

    /// `# …` up to the end of the line.
    mutating func readComment(_ start: Int) -> RawToken {
        let tokenColumn = column(at: start)
        var offset = start + 1
        while offset < bytes.count {
            let code = bytes[offset]
            if code == 0x0A || code == 0x0D { break }
            if code >= 0x80 { noteNonASCII(code) }
            offset += 1
        }
        position = offset
        return RawToken(kind: .comment, start: start, end: offset, line: line, column: tokenColumn)
    }

    /// A name: `[_A-Za-z][_0-9A-Za-z]*`.
    mutating func readName(_ start: Int) -> RawToken {
        var offset = start + 1
        while offset < bytes.count && Self.isNameContinue(bytes[offset]) {
            offset += 1
        }
        return makeToken(.name, start, offset)
    }

    /// An IntValue or FloatValue (graphql-js `readNumber`).
    mutating func readNumber(_ start: Int, _ firstCode: UInt8) throws(SyntaxFailure) -> RawToken {
        var offset = start
        var code = firstCode
        var isFloat = false
        if code == 0x2D {
            offset += 1
            code = byte(offset)
        }
        if code == 0x30 {
            offset += 1
            code = byte(offset)
            if Self.isDigit(code) {
                throw numberError(offset, "Invalid number, unexpected digit after 0")
            }
        } else {
            offset = try readDigits(offset, code)
            code = byte(offset)
        }
        if code == 0x2E {
            isFloat = true
            offset += 1
            code = byte(offset)
            offset = try readDigits(offset, code)
            code = byte(offset)
        }
        if code == 0x45 || code == 0x65 {
            isFloat = true
            offset += 1
            code = byte(offset)
            if code == 0x2B || code == 0x2D {
                offset += 1
                code = byte(offset)
            }
            offset = try readDigits(offset, code)
            code = byte(offset)
        }
        if code == 0x2E || Self.isNameStart(code) {
            throw numberError(offset, "Invalid number, expected digit but got")
        }
        return makeToken(isFloat ? .float : .int, start, offset)
    }

    func readDigits(_ start: Int, _ firstCode: UInt8) throws(SyntaxFailure) -> Int {
        guard Self.isDigit(firstCode) else {
            throw numberError(start, "Invalid number, expected digit but got")
        }
        var offset = start + 1
        while Self.isDigit(byte(offset)) {
            offset += 1
        }
        return offset
    }
}
