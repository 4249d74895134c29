import GraphQL

/// Settings of the GraphQL API that configuration controls; every default is documented on its property.
public struct APIOptions: Sendable, Equatable {
    /// Whether `__schema`/`__type` introspection is answered (`IV_GRAPHQL_INTROSPECTION`, default true).
    public var introspection = true
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
}
