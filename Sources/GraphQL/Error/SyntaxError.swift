extension GraphQLError {
    /// A syntax error at a UTF-8 byte offset of `source`, worded as graphql-js `syntaxError`:
    /// the message is `Syntax Error: <description>` and the single location is computed from the offset.
    public static func syntaxError(source: Source, offset: Int, description: String) -> GraphQLError {
        GraphQLError("Syntax Error: " + description, locations: [source.location(atOffset: offset)])
    }

    /// True when the error is a syntax error produced by the lexer or parser.
    public var isSyntaxError: Bool { message.hasPrefix("Syntax Error: ") }
}
