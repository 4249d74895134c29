/// Limits and switches for parsing.
public struct ParseOptions: Sendable, Hashable {
    /// The most tokens (comments excluded) a document may contain; nil for no limit.
    /// graphql-js has the same option; exceeding it is a syntax error at the first token too many.
    public var maxTokens: Int?
    /// The deepest nesting of selection sets, list/object values and list types accepted.
    /// Recursion is bounded by this so that hostile documents produce a syntax error instead of a stack overflow.
    public var maxDepth: Int
    /// When true, nodes get `Location.unknown` (useful for comparing trees).
    public var noLocation: Bool

    /// The default token limit.
    public static let defaultMaxTokens = 15_000
    /// The default nesting limit. A level costs the parser under 1 KB of stack in release builds, so hostile
    /// documents stay well inside a 512 KB thread; debug builds need 4–7 KB a level, fine on 8 MB threads.
    public static let defaultMaxDepth = 256

    /// Creates options; the defaults suit untrusted requests.
    public init(
        maxTokens: Int? = ParseOptions.defaultMaxTokens, maxDepth: Int = ParseOptions.defaultMaxDepth,
        noLocation: Bool = false
    ) {
        self.maxTokens = maxTokens
        self.maxDepth = maxDepth
        self.noLocation = noLocation
    }
}

/// Parses a GraphQL document (executable or SDL), throwing a syntax error located as graphql-js would.
public func parse(_ source: Source, options: ParseOptions = ParseOptions()) throws(GraphQLError) -> DocumentNode {
    try Parser.run(source, options) { (parser: inout Parser) throws(SyntaxFailure) in try parser.parseDocument() }
}

/// Parses a GraphQL document from text.
public func parse(_ text: String, options: ParseOptions = ParseOptions()) throws(GraphQLError) -> DocumentNode {
    try parse(Source(text), options: options)
}

/// Parses a single value literal such as `[42, $var]` (graphql-js `parseValue`).
public func parseValue(_ text: String, options: ParseOptions = ParseOptions()) throws(GraphQLError) -> ValueNode {
    try Parser.run(Source(text), options) { (parser: inout Parser) throws(SyntaxFailure) in
        try parser.expect(.sof)
        let value = try parser.parseValueLiteral(isConst: false)
        try parser.expect(.eof)
        return value
    }
}

/// Parses a constant value literal; variables are a syntax error (graphql-js `parseConstValue`).
public func parseConstValue(_ text: String, options: ParseOptions = ParseOptions()) throws(GraphQLError) -> ValueNode {
    try Parser.run(Source(text), options) { (parser: inout Parser) throws(SyntaxFailure) in
        try parser.expect(.sof)
        let value = try parser.parseValueLiteral(isConst: true)
        try parser.expect(.eof)
        return value
    }
}

/// Parses a type reference such as `[Int!]!` (graphql-js `parseType`).
public func parseType(_ text: String, options: ParseOptions = ParseOptions()) throws(GraphQLError) -> TypeNode {
    try Parser.run(Source(text), options) { (parser: inout Parser) throws(SyntaxFailure) in
        try parser.expect(.sof)
        let type = try parser.parseTypeReference()
        try parser.expect(.eof)
        return type
    }
}

/// The recursive-descent parser: a faithful port of graphql-js `language/parser.js`, so that every
/// syntax error is raised at the same token with the same message.
///
/// Frames are kept small (plain-data tokens, error messages built out of line) because nesting recurses.
struct Parser: ~Copyable {
    var lexer: Lexer
    /// The current token (graphql-js `lexer.token`).
    var token: RawToken
    /// The decoded value of the current token when it is a string or block string.
    var tokenValue: String?
    /// End offset of the previous token (graphql-js `lexer.lastToken.end`), the end of finished nodes.
    var lastTokenEnd = 0
    var tokenCount = 0
    let maxTokens: Int
    var depth = 0
    let maxDepth: Int
    let noLocation: Bool

    init(lexer: Lexer, options: ParseOptions) {
        self.lexer = lexer
        token = RawToken(kind: .sof, start: 0, end: 0, line: 1, column: 1)
        maxTokens = options.maxTokens ?? Int.max
        maxDepth = options.maxDepth
        noLocation = options.noLocation
    }

    /// Runs `body` with a parser over the UTF-8 bytes of `source`.
    static func run<T>(
        _ source: Source, _ options: ParseOptions, _ body: (inout Parser) throws(SyntaxFailure) -> T
    ) throws(GraphQLError) -> T {
        var text = source.body
        return try text.withUTF8 { buffer in
            Result { () throws(SyntaxFailure) -> T in
                var parser = Parser(lexer: Lexer(source: source, bytes: buffer), options: options)
                return try body(&parser)
            }
        }.mapError { $0.located(in: source) }.get()
    }

    // MARK: - Token utilities

    /// The location of a node that started at `start` and ends at the previous token.
    @inline(__always) func loc(_ start: RawToken) -> Location {
        noLocation ? .unknown : Location(start: start.start, end: lastTokenEnd, line: start.line, column: start.column)
    }

    /// Moves to the next non-comment token, enforcing `maxTokens` (graphql-js `advanceLexer`).
    @inline(__always) mutating func advance() throws(SyntaxFailure) {
        lastTokenEnd = token.end
        if token.kind == .eof { return }
        token = try lexer.nextSignificantToken()
        if token.kind == .string || token.kind == .blockString {
            tokenValue = lexer.stringValue
        }
        if token.kind != .eof {
            tokenCount += 1
            if tokenCount > maxTokens {
                throw Parser.failure(token.start, "Document contains more than \(maxTokens) tokens. Parsing aborted.")
            }
        }
    }

    /// The token after the current one and its string value, without consuming anything
    /// (graphql-js `lexer.lookahead()`).
    func lookahead() throws(SyntaxFailure) -> (token: RawToken, value: String?) {
        if token.kind == .eof { return (token, nil) }
        var copy = lexer
        let next = try copy.nextSignificantToken()
        return (next, next.kind == .string || next.kind == .blockString ? copy.stringValue : nil)
    }

    @inline(__always) func peek(_ kind: TokenKind) -> Bool { token.kind == kind }

    /// Consumes a token of `kind` or throws `Expected <kind>, found <token>.`.
    @discardableResult @inline(__always)
    mutating func expect(_ kind: TokenKind) throws(SyntaxFailure) -> RawToken {
        let current = token
        if current.kind == kind {
            try advance()
            return current
        }
        throw Parser.expectedFailure(kind.errorDescription, current, tokenValue, lexer.bytes)
    }

    /// Consumes a token of `kind` if present.
    @inline(__always) mutating func expectOptional(_ kind: TokenKind) throws(SyntaxFailure) -> Bool {
        if token.kind == kind {
            try advance()
            return true
        }
        return false
    }

    /// True if `target` is the name `keyword`.
    @inline(__always) func isKeyword(_ target: RawToken, _ keyword: StaticString) -> Bool {
        target.kind == .name && lexer.text(target.start, target.end, equals: keyword)
    }

    /// True if the current token is the name `keyword`.
    @inline(__always) func peekKeyword(_ keyword: StaticString) -> Bool { isKeyword(token, keyword) }

    /// Consumes the name `keyword` or throws `Expected "keyword", found <token>.`.
    mutating func expectKeyword(_ keyword: StaticString) throws(SyntaxFailure) {
        if peekKeyword(keyword) {
            try advance()
        } else {
            throw Parser.expectedFailure("\"\(keyword)\"", token, tokenValue, lexer.bytes)
        }
    }

    /// Consumes the name `keyword` if present.
    mutating func expectOptionalKeyword(_ keyword: StaticString) throws(SyntaxFailure) -> Bool {
        if peekKeyword(keyword) {
            try advance()
            return true
        }
        return false
    }

    /// `Unexpected <current token>.`
    func unexpected() -> SyntaxFailure {
        Parser.unexpectedFailure(token, tokenValue, lexer.bytes)
    }

    /// `Unexpected <target>.` for a token that is not a string (or whose string value is `value`).
    func unexpected(_ target: RawToken, value: String? = nil) -> SyntaxFailure {
        Parser.unexpectedFailure(target, value, lexer.bytes)
    }

    /// True if the current token's value (for a name or string) equals `text`.
    func currentValue(equals text: StaticString) -> Bool {
        switch token.kind {
        case .name: return lexer.text(token.start, token.end, equals: text)
        case .string, .blockString: return tokenValue == text.description
        default: return false
        }
    }

    // MARK: - Cold error builders (kept out of line so that recursive frames stay small)

    @inline(never)
    static func failure(_ offset: Int, _ description: String) -> SyntaxFailure {
        SyntaxFailure(offset: offset, description: description)
    }

    /// graphql-js `getTokenDesc`: the kind, plus the quoted value when the token has one.
    @inline(never)
    static func describe(_ target: RawToken, _ stringValue: String?, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let value: String?
        switch target.kind {
        case .string, .blockString: value = stringValue ?? ""
        case .name, .int, .float:
            value = String(decoding: UnsafeBufferPointer(rebasing: bytes[target.start..<target.end]), as: UTF8.self)
        default: value = nil
        }
        if let value {
            return "\(target.kind.errorDescription) \"\(value)\""
        }
        return target.kind.errorDescription
    }

    @inline(never)
    static func expectedFailure(
        _ what: String, _ found: RawToken, _ value: String?, _ bytes: UnsafeBufferPointer<UInt8>
    ) -> SyntaxFailure {
        failure(found.start, "Expected \(what), found \(describe(found, value, bytes)).")
    }

    @inline(never)
    static func unexpectedFailure(_ target: RawToken, _ value: String?, _ bytes: UnsafeBufferPointer<UInt8>)
        -> SyntaxFailure
    {
        failure(target.start, "Unexpected \(describe(target, value, bytes)).")
    }

    /// Enters one nesting level, failing with a syntax error at the current token past `maxDepth`.
    @inline(__always) mutating func enterNesting() throws(SyntaxFailure) {
        depth += 1
        if depth > maxDepth {
            throw Parser.failure(token.start, "Document exceeds the maximum nesting depth of \(maxDepth).")
        }
    }

    @inline(__always) mutating func leaveNesting() { depth -= 1 }

    // MARK: - Document

    /// Document : Definition+
    mutating func parseDocument() throws(SyntaxFailure) -> DocumentNode {
        let start = token
        try expect(.sof)
        var definitions: [DefinitionNode] = []
        definitions.reserveCapacity(4)
        repeat {
            definitions.append(try parseDefinition())
        } while try !expectOptional(.eof)
        return DocumentNode(definitions: definitions, loc: loc(start))
    }

    /// Definition : ExecutableDefinition | TypeSystemDefinition | TypeSystemExtension
    mutating func parseDefinition() throws(SyntaxFailure) -> DefinitionNode {
        if peek(.braceL) {
            return .operation(try parseOperationDefinition())
        }
        let hasDescription = peekDescription()
        let (keywordToken, keywordValue) = hasDescription ? try lookahead() : (token, tokenValue)
        if keywordToken.kind == .name {
            func text(_ keyword: StaticString) -> Bool { isKeyword(keywordToken, keyword) }
            if text("schema") { return .schema(try parseSchemaDefinition()) }
            if text("scalar") { return .type(.scalar(try parseScalarTypeDefinition())) }
            if text("type") { return .type(.object(try parseObjectTypeDefinition())) }
            if text("interface") { return .type(.interface(try parseInterfaceTypeDefinition())) }
            if text("union") { return .type(.union(try parseUnionTypeDefinition())) }
            if text("enum") { return .type(.enumType(try parseEnumTypeDefinition())) }
            if text("input") { return .type(.inputObject(try parseInputObjectTypeDefinition())) }
            if text("directive") { return .directive(try parseDirectiveDefinition()) }
            if hasDescription {
                throw Parser.failure(
                    token.start, "Unexpected description, descriptions are supported only on type definitions.")
            }
            if text("query") || text("mutation") || text("subscription") {
                return .operation(try parseOperationDefinition())
            }
            if text("fragment") { return .fragment(try parseFragmentDefinition()) }
            if text("extend") { return try parseTypeSystemExtension() }
        }
        throw unexpected(keywordToken, value: keywordValue)
    }
}
