/// Splits a SQL script into single statements, because the extended query protocol postgres-nio speaks runs one
/// statement per query. Understands `'...'`, `E'...'`, `"..."`, `$tag$...$tag$` bodies, `--` and nested `/* */`
/// comments; statements end at a `;` outside all of these. Comment-only fragments are dropped.
public enum SQLSplitter {
    /// The statements of `script`, trimmed, without their terminating `;`.
    public static func split(_ script: String) -> [String] {
        let bytes = Array(script.utf8)
        var statements: [String] = []
        var index = 0
        // Where the current statement's first code byte is; nil while only comments and blanks were seen.
        var codeStart: Int?
        var hasCode: Bool {
            get { codeStart != nil }
            set { if newValue, codeStart == nil { codeStart = index } }
        }

        func flush(upTo end: Int) {
            if let from = codeStart, let text = String(bytes: bytes[from..<end], encoding: .utf8) {
                let trimmed = text.trimmingWhitespace()
                if !trimmed.isEmpty { statements.append(trimmed) }
            }
            codeStart = nil
        }

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                var depth = 1
                index += 2
                while index < bytes.count && depth > 0 {
                    if bytes[index] == UInt8(ascii: "/") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*") {
                        depth += 1
                        index += 2
                    } else if bytes[index] == UInt8(ascii: "*") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/") {
                        depth -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                }
                continue
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                hasCode = true
                let escapes = byte == UInt8(ascii: "'") && index > 0 && (bytes[index - 1] | 0x20) == UInt8(ascii: "e")
                index = skipQuoted(bytes, from: index, quote: byte, backslashEscapes: escapes)
                continue
            case UInt8(ascii: "$"):
                hasCode = true
                if let tagEnd = dollarTagEnd(bytes, from: index) {
                    let tag = Array(bytes[index...tagEnd])
                    index = tagEnd + 1
                    while index < bytes.count {
                        if bytes[index] == UInt8(ascii: "$") && bytes[index...].starts(with: tag) {
                            index += tag.count
                            break
                        }
                        index += 1
                    }
                    continue
                }
            case UInt8(ascii: ";"):
                flush(upTo: index)
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                break
            default:
                hasCode = true
            }
            index += 1
        }
        flush(upTo: bytes.count)
        return statements
    }

    private static func skipQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < bytes.count {
            if backslashEscapes && bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == quote {
                if index + 1 < bytes.count && bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return index
    }

    /// For `$tag$` or `$$` starting at `start`, the index of the closing `$` of the opening tag.
    private static func dollarTagEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        if start > 0 {
            let previous = bytes[start - 1]
            // `$1` parameters and identifiers containing `$` are not dollar quotes.
            if previous == UInt8(ascii: "_") || (previous | 0x20 >= UInt8(ascii: "a") && previous | 0x20 <= UInt8(ascii: "z"))
                || (previous >= UInt8(ascii: "0") && previous <= UInt8(ascii: "9"))
            {
                return nil
            }
        }
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "$") { return index }
            let isTagByte =
                byte == UInt8(ascii: "_") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                || (index > start + 1 && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte >= 0x80
            if !isTagByte { return nil }
            index += 1
        }
        return nil
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
