/// Block string algorithms from the spec and graphql-js `language/blockString.js`.
public enum BlockString {
    /// The spec's `BlockStringValue()`: removes the common indentation of all lines but the first and
    /// drops leading and trailing blank lines (graphql-js `dedentBlockStringLines`).
    public static func dedentLines(_ lines: [String]) -> [String] {
        let byteLines = lines.map { Array($0.utf8) }
        return dedent(byteLines).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The dedented lines joined with `\n`.
    static func dedentedValue(lines: [[UInt8]]) -> String {
        let kept = dedent(lines)
        var result: [UInt8] = []
        result.reserveCapacity(kept.reduce(kept.count) { $0 + $1.count })
        for (index, line) in kept.enumerated() {
            if index > 0 { result.append(0x0A) }
            result.append(contentsOf: line)
        }
        return String(decoding: result, as: UTF8.self)
    }

    static func dedent(_ lines: [[UInt8]]) -> [ArraySlice<UInt8>] {
        var commonIndent = Int.max
        var firstNonEmptyLine: Int?
        var lastNonEmptyLine = -1
        for (index, line) in lines.enumerated() {
            let indent = leadingWhitespace(line)
            if indent == line.count { continue }
            if firstNonEmptyLine == nil { firstNonEmptyLine = index }
            lastNonEmptyLine = index
            if index != 0 && indent < commonIndent { commonIndent = indent }
        }
        let first = firstNonEmptyLine ?? 0
        guard first <= lastNonEmptyLine else { return [] }
        var result: [ArraySlice<UInt8>] = []
        result.reserveCapacity(lastNonEmptyLine - first + 1)
        for index in first...lastNonEmptyLine {
            let line = lines[index]
            if index == 0 {
                result.append(line[...])
            } else {
                result.append(line[min(commonIndent, line.count)...])
            }
        }
        return result
    }

    static func leadingWhitespace(_ line: [UInt8]) -> Int {
        var index = 0
        while index < line.count && (line[index] == 0x20 || line[index] == 0x09) { index += 1 }
        return index
    }

    /// Prints `value` as a `"""block string"""` exactly like graphql-js `printBlockString`.
    public static func print(_ value: String, minimize: Bool = false) -> String {
        let escapedValue = value.replacingAll("\"\"\"", with: "\\\"\"\"")
        let lines = escapedValue.splitLines()
        let isSingleLine = lines.count == 1
        let forceLeadingNewLine =
            lines.count > 1
            && lines.dropFirst().allSatisfy { $0.isEmpty || $0.utf8.first == 0x20 || $0.utf8.first == 0x09 }
        let hasTrailingTripleQuotes = escapedValue.hasSuffix("\\\"\"\"")
        let hasTrailingQuote = value.hasSuffix("\"") && !hasTrailingTripleQuotes
        let hasTrailingSlash = value.hasSuffix("\\")
        let forceTrailingNewline = hasTrailingQuote || hasTrailingSlash
        let printAsMultipleLines =
            !minimize
            && (!isSingleLine || value.utf16.count > 70 || forceTrailingNewline || forceLeadingNewLine
                || hasTrailingTripleQuotes)
        var result = ""
        let firstByte = value.utf8.first
        let skipLeadingNewLine = isSingleLine && (firstByte == 0x20 || firstByte == 0x09)
        if (printAsMultipleLines && !skipLeadingNewLine) || forceLeadingNewLine {
            result += "\n"
        }
        result += escapedValue
        if printAsMultipleLines || forceTrailingNewline {
            result += "\n"
        }
        return "\"\"\"" + result + "\"\"\""
    }
}

extension String {
    /// Replaces every non-overlapping occurrence of `target`, scanning left to right like JavaScript's `replace(/…/g)`.
    func replacingAll(_ target: String, with replacement: String) -> String {
        let source = Array(utf8)
        let pattern = Array(target.utf8)
        guard !pattern.isEmpty, source.count >= pattern.count else { return self }
        var result: [UInt8] = []
        result.reserveCapacity(source.count)
        var index = 0
        var changed = false
        while index < source.count {
            if index + pattern.count <= source.count && source[index] == pattern[0]
                && source[index..<(index + pattern.count)].elementsEqual(pattern)
            {
                result.append(contentsOf: replacement.utf8)
                index += pattern.count
                changed = true
            } else {
                result.append(source[index])
                index += 1
            }
        }
        return changed ? String(decoding: result, as: UTF8.self) : self
    }

    /// Splits at `\r\n`, `\n` or `\r` (JavaScript `split(/\r\n|[\n\r]/g)`).
    func splitLines() -> [Substring] {
        var lines: [Substring] = []
        let utf8View = utf8
        var lineStart = utf8View.startIndex
        var index = utf8View.startIndex
        while index < utf8View.endIndex {
            let byte = utf8View[index]
            if byte == 0x0A || byte == 0x0D {
                lines.append(Substring(utf8View[lineStart..<index]))
                var next = utf8View.index(after: index)
                if byte == 0x0D && next < utf8View.endIndex && utf8View[next] == 0x0A {
                    next = utf8View.index(after: next)
                }
                index = next
                lineStart = next
            } else {
                index = utf8View.index(after: index)
            }
        }
        lines.append(Substring(utf8View[lineStart..<utf8View.endIndex]))
        return lines
    }
}
