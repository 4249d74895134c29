import GraphQL

/// Settings of the GraphQL API that configuration controls; every default is documented on its property.
public struct APIOptions: Sendable, Equatable {
    /// Who may run `__schema`/`__type` introspection (`IV_GRAPHQL_INTROSPECTION`, default `authenticated`).
    public var introspection = IntrospectionAccess.authenticated
    /// Deepest field nesting per operation (`IV_GRAPHQL_MAX_DEPTH`, default 15).
    public var maxDepth = 15
    /// Most aliases per operation (`IV_GRAPHQL_MAX_ALIASES`, default 30).
    public var maxAliases = 30
    /// Highest estimated cost per operation (`IV_GRAPHQL_MAX_COST`, default 5,000).
    public var maxCost = 5_000
    /// Most lexical tokens per document (`IV_GRAPHQL_MAX_TOKENS`, default 15,000).
    public var maxTokens = 15_000
    /// Automatic persisted queries kept, least recently used evicted first (default 1,000).
    public var persistedQueryCapacity = 1_000
    /// Bytes of automatic persisted queries kept (hash, text and a fixed overhead each), least recently used evicted
    /// first; a query over a quarter of it is not kept (`IV_GRAPHQL_PERSISTED_QUERY_CACHE_BYTES`, default 4 MiB).
    public var persistedQueryCacheBytes = PersistedQueryStore.defaultMaxBytes
    /// Estimated bytes of parsed and validated documents kept (text, syntax tree, plans), least recently used
    /// evicted first; a document over a quarter of it is not kept (`IV_GRAPHQL_DOCUMENT_CACHE_BYTES`, default 16 MiB).
    public var documentCacheBytes = GraphQLEngineOptions.defaultDocumentCacheBytes

    /// All defaults.
    public init() {}

    /// Who may run `__schema`/`__type` introspection; `__typename` is always allowed.
    public enum IntrospectionAccess: String, Sendable, Equatable, CaseIterable {
        /// Callers with a valid session or personal token; others get 401 `UNAUTHENTICATED` (the default: the schema
        /// is no secret, it is in the repository, but anonymous scanners need not be handed a map of the API).
        case authenticated
        /// Everyone, signed in or not.
        case `public`
        /// Nobody: 400 `INTROSPECTION_DISABLED`.
        case off

        /// Parses the setting: `authenticated`, `public` or `off`; for compatibility with earlier versions, `true`
        /// (and `1`, `yes`, `on`) means `public` and `false` (`0`, `no`) means `off`. Nil for anything else.
        public init?(setting: String) {
            switch setting.lowercased() {
            case "authenticated": self = .authenticated
            case "public", "true", "1", "yes", "on": self = .public
            case "off", "false", "0", "no": self = .off
            default: return nil
            }
        }
    }
}
