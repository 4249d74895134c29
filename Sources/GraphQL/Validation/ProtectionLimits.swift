/// Limits that protect the server from expensive documents; checked by the protection rules that
/// `validate` runs after the specified rules (see `defaultProtectionRules(limits:)`). Set a limit to nil to
/// turn its rule off. Errors carry `extensions.code`: `QUERY_TOO_DEEP`, `TOO_MANY_ALIASES`,
/// `TOO_MANY_DIRECTIVES` or `QUERY_TOO_COMPLEX`.
public struct ProtectionLimits: Sendable, Hashable {
    /// Deepest field nesting per operation, fragments followed and introspection included (default 15).
    public var maxDepth: Int?
    /// Most aliased fields per operation, counting fragments at every spread (default 30).
    public var maxAliases: Int?
    /// Most directives on one field, fragment spread, inline fragment or fragment definition (default 10).
    public var maxDirectivesPerField: Int?
    /// Highest cost per operation (default 5,000); see `QueryCostRule`.
    public var maxCost: Int?
    /// Items assumed for a list field without a `first`, `last` or `limit` value (default 10).
    public var defaultListSize: Int

    /// The default maximum depth.
    public static let defaultMaxDepth = 15
    /// The default maximum number of aliases.
    public static let defaultMaxAliases = 30
    /// The default maximum number of directives per node.
    public static let defaultMaxDirectivesPerField = 10
    /// The default maximum cost.
    public static let defaultMaxCost = 5_000
    /// The default assumed list size.
    public static let defaultListSize = 10

    /// Creates limits; every argument defaults to the documented default.
    public init(
        maxDepth: Int? = ProtectionLimits.defaultMaxDepth, maxAliases: Int? = ProtectionLimits.defaultMaxAliases,
        maxDirectivesPerField: Int? = ProtectionLimits.defaultMaxDirectivesPerField,
        maxCost: Int? = ProtectionLimits.defaultMaxCost, defaultListSize: Int = ProtectionLimits.defaultListSize
    ) {
        self.maxDepth = maxDepth
        self.maxAliases = maxAliases
        self.maxDirectivesPerField = maxDirectivesPerField
        self.maxCost = maxCost
        self.defaultListSize = defaultListSize
    }

    /// No limits at all.
    public static let unlimited = ProtectionLimits(maxDepth: nil, maxAliases: nil, maxDirectivesPerField: nil, maxCost: nil)
}

/// Error codes of the protection rules.
public enum ProtectionErrorCode {
    /// `MaxDepthRule`.
    public static let queryTooDeep = "QUERY_TOO_DEEP"
    /// `MaxAliasesRule`.
    public static let tooManyAliases = "TOO_MANY_ALIASES"
    /// `MaxDirectivesPerFieldRule`.
    public static let tooManyDirectives = "TOO_MANY_DIRECTIVES"
    /// `QueryCostRule`.
    public static let queryTooComplex = "QUERY_TOO_COMPLEX"
    /// What the HTTP layer may put on errors of the specified rules, which carry no code themselves.
    public static let validationFailed = "GRAPHQL_VALIDATION_FAILED"
}

extension GraphQLError {
    /// An error with `extensions.code` set.
    static func coded(_ message: String, code: String, at locations: [Location]) -> GraphQLError {
        var error = GraphQLError(message, at: locations)
        error.code = code
        return error
    }
}
