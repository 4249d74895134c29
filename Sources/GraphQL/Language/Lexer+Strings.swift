extension Lexer {
    /// A `"quoted"` string with escapes resolved (graphql-js `readString`).
    mutating func readString(_ start: Int) throws(SyntaxFailure) -> RawToken {
        let tokenColumn = column(at: start)
        let count = bytes.count
        var offset = start + 1
        var chunkStart = offset
        var decoded: [UInt8]?
        while offset < count {
            let code = bytes[offset]
            if code == 0x22 {
                let value: String
                if var buffer = decoded {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart..<offset]))
                    value = String(decoding: buffer, as: UTF8.self)
                } else {
                    value = text(chunkStart, offset)
                }
                position = offset + 1
                stringValue = value
                return RawToken(kind: .string, start: start, end: offset + 1, line: line, column: tokenColumn)
            }
            if code == 0x5C {
                var buffer = decoded ?? []
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart..<offset]))
                let escape: (scalar: UInt32, size: Int)
                if byte(offset + 1) == 0x75 {
                    escape =
                        byte(offset + 2) == 0x7B
                        ? try readEscapedUnicodeVariableWidth(offset) : try readEscapedUnicodeFixedWidth(offset)
                } else {
                    escape = try readEscapedCharacter(offset)
                }
                Self.appendUTF8(escape.scalar, to: &buffer)
                decoded = buffer
                // Escapes are ASCII, so the column correction only needs the raw bytes skipped.
                offset += escape.size
                chunkStart = offset
                continue
            }
            if code == 0x0A || code == 0x0D { break }
            if code >= 0x80 { noteNonASCII(code) }
            offset += 1
        }
        throw syntaxError(offset, "Unterminated string.")
    }

    @inline(never)
    func escapeError(_ offset: Int, _ prefix: String, units: Int) -> SyntaxFailure {
        syntaxError(offset, "\(prefix): \"\(sliceUTF16(from: offset, units: units))\".")
    }

    static func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            buffer.append(UInt8(scalar))
        case 0x80..<0x800:
            buffer.append(UInt8(0xC0 | scalar >> 6))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            buffer.append(UInt8(0xE0 | scalar >> 12))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        default:
            buffer.append(UInt8(0xF0 | scalar >> 18))
            buffer.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    static func isUnicodeScalarValue(_ code: Int32) -> Bool {
        (code >= 0 && code <= 0xD7FF) || (code >= 0xE000 && code <= 0x10FFFF)
    }

    static func isLeadingSurrogate(_ code: Int32) -> Bool { code >= 0xD800 && code <= 0xDBFF }

    static func isTrailingSurrogate(_ code: Int32) -> Bool { code >= 0xDC00 && code <= 0xDFFF }

    /// 0–15 for a hex digit, -1 otherwise (graphql-js `readHexDigit`).
    static func hexDigit(_ code: UInt8) -> Int32 {
        switch code {
        case 0x30...0x39: return Int32(code) - 0x30
        case 0x41...0x46: return Int32(code) - 0x37
        case 0x61...0x66: return Int32(code) - 0x57
        default: return -1
        }
    }

    /// Four hex digits at `offset`, negative if any is not a hex digit.
    func read16BitHexCode(_ offset: Int) -> Int32 {
        Self.hexDigit(byte(offset)) << 12 | Self.hexDigit(byte(offset + 1)) << 8
            | Self.hexDigit(byte(offset + 2)) << 4 | Self.hexDigit(byte(offset + 3))
    }

    /// `\u{…}` (graphql-js `readEscapedUnicodeVariableWidth`, including its 32-bit overflow behaviour).
    func readEscapedUnicodeVariableWidth(_ offset: Int) throws(SyntaxFailure) -> (scalar: UInt32, size: Int) {
        var point: Int32 = 0
        var size = 3
        while size < 12 {
            let code = byte(offset + size)
            size += 1
            if code == 0x7D {
                if size < 5 || !Self.isUnicodeScalarValue(point) { break }
                return (UInt32(point), size)
            }
            point = (point &<< 4) | Self.hexDigit(code)
            if point < 0 { break }
        }
        throw escapeError(offset, "Invalid Unicode escape sequence", units: size)
    }

    /// `\uXXXX`, or a `\uD83D\uDE00` surrogate pair (graphql-js `readEscapedUnicodeFixedWidth`).
    func readEscapedUnicodeFixedWidth(_ offset: Int) throws(SyntaxFailure) -> (scalar: UInt32, size: Int) {
        let code = read16BitHexCode(offset + 2)
        if Self.isUnicodeScalarValue(code) {
            return (UInt32(code), 6)
        }
        if Self.isLeadingSurrogate(code) && byte(offset + 6) == 0x5C && byte(offset + 7) == 0x75 {
            let trailing = read16BitHexCode(offset + 8)
            if Self.isTrailingSurrogate(trailing) {
                let scalar = 0x10000 + (UInt32(code) - 0xD800) << 10 + (UInt32(trailing) - 0xDC00)
                return (scalar, 12)
            }
        }
        throw escapeError(offset, "Invalid Unicode escape sequence", units: 6)
    }

    /// `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`.
    func readEscapedCharacter(_ offset: Int) throws(SyntaxFailure) -> (scalar: UInt32, size: Int) {
        switch byte(offset + 1) {
        case 0x22: return (0x22, 2)
        case 0x5C: return (0x5C, 2)
        case 0x2F: return (0x2F, 2)
        case 0x62: return (0x08, 2)
        case 0x66: return (0x0C, 2)
        case 0x6E: return (0x0A, 2)
        case 0x72: return (0x0D, 2)
        case 0x74: return (0x09, 2)
        default:
            throw escapeError(offset, "Invalid character escape sequence", units: 2)
        }
    }

    /// A `"""block string"""`, dedented (graphql-js `readBlockString`).
    mutating func readBlockString(_ start: Int) throws(SyntaxFailure) -> RawToken {
        let tokenLine = line
        let tokenColumn = column(at: start)
        let count = bytes.count
        var currentLineStart = lineStart
        var offset = start + 3
        var chunkStart = offset
        var currentLine: [UInt8] = []
        var blockLines: [[UInt8]] = []
        var adjust = lineAdjust
        while offset < count {
            let code = bytes[offset]
            if code == 0x22 && byte(offset + 1) == 0x22 && byte(offset + 2) == 0x22 {
                currentLine.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart..<offset]))
                blockLines.append(currentLine)
                let value = BlockString.dedentedValue(lines: blockLines)
                line += blockLines.count - 1
                lineStart = currentLineStart
                lineAdjust = adjust
                position = offset + 3
                stringValue = value
                return RawToken(kind: .blockString, start: start, end: offset + 3, line: tokenLine, column: tokenColumn)
            }
            if code == 0x5C && byte(offset + 1) == 0x22 && byte(offset + 2) == 0x22 && byte(offset + 3) == 0x22 {
                currentLine.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart..<offset]))
                chunkStart = offset + 1
                offset += 4
                continue
            }
            if code == 0x0A || code == 0x0D {
                currentLine.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart..<offset]))
                blockLines.append(currentLine)
                offset += (code == 0x0D && byte(offset + 1) == 0x0A) ? 2 : 1
                currentLine = []
                chunkStart = offset
                currentLineStart = offset
                adjust = 0
                continue
            }
            if code >= 0x80 {
                if code < 0xC0 {
                    adjust += 1
                } else if code >= 0xF0 {
                    adjust -= 1
                }
            }
            offset += 1
        }
        throw syntaxError(offset, "Unterminated string.")
    }
}
