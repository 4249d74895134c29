/// Where a node came from: its UTF-8 byte range in the source and the line/column of its first token.
///
/// Line and column are computed by the lexer as graphql-js reports them (columns in UTF-16 units),
/// so errors can be located without keeping the source around. `Location.unknown` marks nodes
/// parsed with `noLocation` or built in code.
public struct Location: Sendable, Hashable {
    @usableFromInline let startOffset: UInt32
    @usableFromInline let endOffset: UInt32
    @usableFromInline let lineNumber: UInt32
    @usableFromInline let columnNumber: UInt32

    /// Creates a location; `line` 0 means unknown.
    @inlinable public init(start: Int, end: Int, line: Int, column: Int) {
        startOffset = UInt32(truncatingIfNeeded: start)
        endOffset = UInt32(truncatingIfNeeded: end)
        lineNumber = UInt32(truncatingIfNeeded: line)
        columnNumber = UInt32(truncatingIfNeeded: column)
    }

    /// The location of nodes that have none.
    public static let unknown = Location(start: 0, end: 0, line: 0, column: 0)

    /// UTF-8 byte offset of the node's first token.
    @inlinable public var start: Int { Int(startOffset) }
    /// UTF-8 byte offset just past the node's last token.
    @inlinable public var end: Int { Int(endOffset) }
    /// 1-based line of the first token.
    @inlinable public var line: Int { Int(lineNumber) }
    /// 1-based column of the first token, in UTF-16 units.
    @inlinable public var column: Int { Int(columnNumber) }
    /// True for `Location.unknown`.
    @inlinable public var isUnknown: Bool { lineNumber == 0 }
    /// The line/column pair reported in errors.
    @inlinable public var sourceLocation: SourceLocation { SourceLocation(line: line, column: column) }
}

/// Anything in the syntax tree; every node knows its location.
public protocol ASTNode: Sendable, Hashable {
    /// Where the node was parsed from.
    var loc: Location { get }
}

/// A name token: field, type, argument, variable (without `$`), directive (without `@`) names.
public struct NameNode: ASTNode {
    /// The name text.
    public var value: String
    /// Where the name was parsed from.
    public var loc: Location

    /// Creates a name node.
    public init(value: String, loc: Location = .unknown) {
        self.value = value
        self.loc = loc
    }
}

/// A whole GraphQL document: a request or an SDL file.
public struct DocumentNode: ASTNode {
    /// The definitions in source order.
    public var definitions: [DefinitionNode]
    /// Spans the whole source.
    public var loc: Location

    /// Creates a document.
    public init(definitions: [DefinitionNode], loc: Location = .unknown) {
        self.definitions = definitions
        self.loc = loc
    }

    /// The operation definitions in source order.
    public var operations: [OperationDefinitionNode] {
        definitions.compactMap { if case .operation(let node) = $0 { return node } else { return nil } }
    }

    /// The fragment definitions in source order.
    public var fragments: [FragmentDefinitionNode] {
        definitions.compactMap { if case .fragment(let node) = $0 { return node } else { return nil } }
    }
}

/// A top-level definition.
public enum DefinitionNode: ASTNode {
    /// `query`, `mutation`, `subscription` or an anonymous `{ … }`.
    case operation(OperationDefinitionNode)
    /// `fragment Name on Type { … }`.
    case fragment(FragmentDefinitionNode)
    /// `schema { … }`.
    case schema(SchemaDefinitionNode)
    /// `scalar`, `type`, `interface`, `union`, `enum` or `input` definition.
    case type(TypeDefinitionNode)
    /// `directive @name … on …`.
    case directive(DirectiveDefinitionNode)
    /// `extend schema …`.
    case schemaExtension(SchemaExtensionNode)
    /// `extend scalar|type|interface|union|enum|input …`.
    case typeExtension(TypeExtensionNode)

    /// The location of the definition.
    public var loc: Location {
        switch self {
        case .operation(let node): return node.loc
        case .fragment(let node): return node.loc
        case .schema(let node): return node.loc
        case .type(let node): return node.loc
        case .directive(let node): return node.loc
        case .schemaExtension(let node): return node.loc
        case .typeExtension(let node): return node.loc
        }
    }

    /// True for operations and fragments, the only definitions a request may execute.
    public var isExecutable: Bool {
        switch self {
        case .operation, .fragment: return true
        default: return false
        }
    }
}

/// The three operation types.
public enum OperationType: String, Sendable, Hashable, CaseIterable {
    /// A read-only fetch.
    case query
    /// A write followed by a fetch.
    case mutation
    /// A long-lived request that fetches data in response to events.
    case subscription
}
