/// A GraphQL document's text, with a name used in error reports.
public struct Source: Sendable, Hashable {
    /// The document text.
    public let body: String
    /// A name for the text, such as a file name; graphql-js uses "GraphQL request" by default.
    public let name: String

    /// Wraps `body` as a source.
    public init(_ body: String, name: String = "GraphQL request") {
        self.body = body
        self.name = name
    }

    /// The line and column of a UTF-8 byte offset, computed exactly as graphql-js `getLocation` does:
    /// lines split at `\r\n`, `\n` or `\r`; columns count UTF-16 code units (JavaScript string indices).
    public func location(atOffset offset: Int) -> SourceLocation {
        var text = body
        return text.withUTF8 { SourceLocation(bytes: $0, offset: offset) }
    }
}

/// A 1-based line and column pair, the `locations` entry of a GraphQL error.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number.
    public let line: Int
    /// 1-based column, in UTF-16 code units as graphql-js counts them.
    public let column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }

    /// The `{"line": …, "column": …}` JSON object of an error location.
    public var jsonValue: Value {
        var object = OrderedObject(minimumCapacity: 2)
        object.appendUnchecked(key: "line", value: .int(line))
        object.appendUnchecked(key: "column", value: .int(column))
        return .object(object)
    }

    init(bytes: UnsafeBufferPointer<UInt8>, offset: Int) {
        var line = 1
        var lastLineStart = 0
        var index = 0
        let limit = min(offset, bytes.count)
        // A terminator counts only when it starts before `offset` (graphql-js: `match.index >= position` stops).
        while index < limit {
            let byte = bytes[index]
            if byte == 0x0A {
                index += 1
                line += 1
                lastLineStart = index
            } else if byte == 0x0D {
                index += (index + 1 < bytes.count && bytes[index + 1] == 0x0A) ? 2 : 1
                line += 1
                lastLineStart = index
            } else {
                index += 1
            }
        }
        let column: Int
        if offset >= lastLineStart {
            column =
                1 + UTF16Counting.units(in: bytes, from: lastLineStart, to: min(offset, bytes.count))
                + max(0, offset - bytes.count)
        } else {
            column = offset + 1 - lastLineStart
        }
        self.init(line: line, column: column)
    }
}

/// Counting helpers that translate UTF-8 byte ranges into JavaScript (UTF-16) lengths.
enum UTF16Counting {
    /// The number of UTF-16 code units encoded by the UTF-8 bytes in `start..<end`.
    static func units(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var units = 0
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte < 0x80 {
                units += 1
            } else if byte >= 0xF0 {
                units += 2
            } else if byte >= 0xC0 {
                units += 1
            }
            index += 1
        }
        return units
    }

    /// The number of UTF-16 code units in `string` (JavaScript's `length`).
    static func length(of string: String) -> Int { string.utf16.count }
}
