/// The kinds of lexical token, named as in graphql-js `TokenKind`.
public enum TokenKind: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// Start of file (never produced by `tokenize`, used as the parser's initial token).
    case sof
    /// End of file.
    case eof
    /// `!`
    case bang
    /// `$`
    case dollar
    /// `&`
    case amp
    /// `(`
    case parenL
    /// `)`
    case parenR
    /// `...`
    case spread
    /// `:`
    case colon
    /// `=`
    case equals
    /// `@`
    case at
    /// `[`
    case bracketL
    /// `]`
    case bracketR
    /// `{`
    case braceL
    /// `|`
    case pipe
    /// `}`
    case braceR
    /// A name.
    case name
    /// An integer literal.
    case int
    /// A float literal.
    case float
    /// A `"quoted"` string.
    case string
    /// A `"""block"""` string.
    case blockString
    /// A `#` comment.
    case comment

    /// The graphql-js spelling of the kind: `<EOF>`, `!`, `Name`, `BlockString`, …
    public var description: String {
        switch self {
        case .sof: return "<SOF>"
        case .eof: return "<EOF>"
        case .bang: return "!"
        case .dollar: return "$"
        case .amp: return "&"
        case .parenL: return "("
        case .parenR: return ")"
        case .spread: return "..."
        case .colon: return ":"
        case .equals: return "="
        case .at: return "@"
        case .bracketL: return "["
        case .bracketR: return "]"
        case .braceL: return "{"
        case .pipe: return "|"
        case .braceR: return "}"
        case .name: return "Name"
        case .int: return "Int"
        case .float: return "Float"
        case .string: return "String"
        case .blockString: return "BlockString"
        case .comment: return "Comment"
        }
    }

    /// True for the punctuators, which error messages quote (`Expected "{"`).
    public var isPunctuator: Bool {
        switch self {
        case .bang, .dollar, .amp, .parenL, .parenR, .spread, .colon, .equals, .at, .bracketL, .bracketR, .braceL,
            .pipe, .braceR:
            return true
        default:
            return false
        }
    }

    /// The kind as it appears in error messages: punctuators quoted, others bare.
    var errorDescription: String { isPunctuator ? "\"\(description)\"" : description }
}

/// A lexical token.
public struct Token: Sendable, Hashable {
    /// What kind of token.
    public var kind: TokenKind
    /// UTF-8 byte offset of the first character.
    public var start: Int
    /// UTF-8 byte offset just past the last character.
    public var end: Int
    /// 1-based line.
    public var line: Int
    /// 1-based column in UTF-16 units.
    public var column: Int
    /// The token's value: decoded for strings, source text for names, numbers and comments (without `#`);
    /// nil for punctuators and EOF. Inside the parser only string tokens carry it.
    public var value: String?

    /// Creates a token.
    public init(kind: TokenKind, start: Int, end: Int, line: Int, column: Int, value: String? = nil) {
        self.kind = kind
        self.start = start
        self.end = end
        self.line = line
        self.column = column
        self.value = value
    }
}

/// The lexer's compact token: plain data (no reference counting) so that parser frames stay small.
/// String values travel separately (`Lexer.stringValue`, `Parser.tokenValue`).
struct RawToken {
    let kind: TokenKind
    private let startOffset: UInt32
    private let endOffset: UInt32
    private let lineNumber: UInt32
    private let columnNumber: UInt32

    @inline(__always) init(kind: TokenKind, start: Int, end: Int, line: Int, column: Int) {
        self.kind = kind
        startOffset = UInt32(truncatingIfNeeded: start)
        endOffset = UInt32(truncatingIfNeeded: end)
        lineNumber = UInt32(truncatingIfNeeded: line)
        columnNumber = UInt32(truncatingIfNeeded: column)
    }

    @inline(__always) var start: Int { Int(startOffset) }
    @inline(__always) var end: Int { Int(endOffset) }
    @inline(__always) var line: Int { Int(lineNumber) }
    @inline(__always) var column: Int { Int(columnNumber) }
}
