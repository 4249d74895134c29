/// A directive definition (graphql-js `GraphQLDirective`).
public struct GraphQLDirective: NamedDefinition, Sendable {
    /// The name without `@`.
    public let name: String
    /// The description.
    public let description: String?
    /// Where the directive may be used.
    public let locations: [DirectiveLocation]
    /// Argument definitions in order.
    public let args: [GraphQLArgument]
    /// True if it may appear more than once at a location.
    public let isRepeatable: Bool
    /// The SDL definition, when built from SDL.
    public let astNode: DirectiveDefinitionNode?

    /// Creates a directive.
    public init(
        name: String, locations: [DirectiveLocation], args: [GraphQLArgument] = [], isRepeatable: Bool = false,
        description: String? = nil, astNode: DirectiveDefinitionNode? = nil
    ) {
        self.name = name
        self.description = description
        self.locations = locations
        self.args = args
        self.isRepeatable = isRepeatable
        self.astNode = astNode
    }

    /// The argument named `name`.
    public func argument(named name: String) -> GraphQLArgument? {
        args.first { $0.name == name }
    }
}

/// The reason `@deprecated` uses when none is given.
public let defaultDeprecationReason = "No longer supported"

extension GraphQLDirective {
    /// `@include(if: Boolean!)`.
    public static let include = GraphQLDirective(
        name: "include", locations: [.field, .fragmentSpread, .inlineFragment],
        args: [GraphQLArgument(name: "if", type: .nonNull(.named("Boolean")), description: "Included when true.")],
        description: "Directs the executor to include this field or fragment only when the `if` argument is true.")

    /// `@skip(if: Boolean!)`.
    public static let skip = GraphQLDirective(
        name: "skip", locations: [.field, .fragmentSpread, .inlineFragment],
        args: [GraphQLArgument(name: "if", type: .nonNull(.named("Boolean")), description: "Skipped when true.")],
        description: "Directs the executor to skip this field or fragment when the `if` argument is true.")

    /// `@deprecated(reason: String = "No longer supported")`.
    public static let deprecated = GraphQLDirective(
        name: "deprecated", locations: [.fieldDefinition, .argumentDefinition, .inputFieldDefinition, .enumValue],
        args: [
            GraphQLArgument(
                name: "reason", type: .named("String"), defaultValue: .string(defaultDeprecationReason),
                description:
                    "Explains why this element was deprecated, usually also including a suggestion for how to "
                    + "access supported similar data. Formatted using the Markdown syntax, as specified by "
                    + "[CommonMark](https://commonmark.org/)."
            )
        ],
        description: "Marks an element of a GraphQL schema as no longer supported.")

    /// `@specifiedBy(url: String!)`.
    public static let specifiedBy = GraphQLDirective(
        name: "specifiedBy", locations: [.scalar],
        args: [
            GraphQLArgument(
                name: "url", type: .nonNull(.named("String")),
                description: "The URL that specifies the behavior of this scalar.")
        ],
        description: "Exposes a URL that specifies the behavior of this scalar.")

    /// `@oneOf` on input objects: exactly one field must be given, and it must not be null.
    public static let oneOf = GraphQLDirective(
        name: "oneOf", locations: [.inputObject],
        description: "Indicates exactly one field must be supplied and this field must not be `null`.")

    /// The directives graphql-js 16 defines in every schema. `@oneOf` is added to a schema when it is used
    /// (or defined), so that schemas without it introspect exactly as graphql-js 16 reports them.
    public static let specifiedDirectives: [GraphQLDirective] = [.include, .skip, .deprecated, .specifiedBy]

    /// True for the built-in directives, `@oneOf` included.
    public static func isSpecifiedDirective(named name: String) -> Bool {
        switch name {
        case "include", "skip", "deprecated", "specifiedBy", "oneOf": return true
        default: return false
        }
    }
}
