import Caching

/// Settings of a `GraphQLEngine`; every default is documented on its property.
public struct GraphQLEngineOptions: Sendable {
    /// Parser limits (default: `ParseOptions()`, 15,000 tokens and depth 256).
    public var parse: ParseOptions
    /// Depth/alias/directive/cost limits checked after the specified rules (default `ProtectionLimits()`;
    /// nil turns them off).
    public var protection: ProtectionLimits?
    /// Validation stops after this many errors (default 100).
    public var maxValidationErrors: Int
    /// When false, `__schema` and `__type` are rejected with code `INTROSPECTION_DISABLED` (default true).
    public var introspection: Bool
    /// Execution settings, including the most errors per response (default `ExecutionOptions()`).
    public var execution: ExecutionOptions
    /// How many parsed and validated documents are kept, least recently used evicted first (default 1,000;
    /// 0 disables the cache).
    public var documentCacheCapacity: Int
    /// The most bytes the document cache holds, by a conservative estimate of each entry (`DocumentCacheCost`:
    /// query text, syntax tree and plans); least recently used evicted first, and a document estimated at over a
    /// quarter of it is not cached (default 16 MiB; 0 disables the cache).
    public var documentCacheBytes = GraphQLEngineOptions.defaultDocumentCacheBytes
    /// The default of `documentCacheBytes`: 16 MiB.
    public static let defaultDocumentCacheBytes = 16 * 1_048_576
    /// What particular fields cost in the cost limit (`QueryCostRule`; default: every field 1).
    public var fieldCosts = FieldCosts()

    /// Creates options.
    public init(
        parse: ParseOptions = ParseOptions(), protection: ProtectionLimits? = ProtectionLimits(),
        maxValidationErrors: Int = 100, introspection: Bool = true, execution: ExecutionOptions = ExecutionOptions(),
        documentCacheCapacity: Int = 1_000
    ) {
        self.parse = parse
        self.protection = protection
        self.maxValidationErrors = maxValidationErrors
        self.introspection = introspection
        self.execution = execution
        self.documentCacheCapacity = documentCacheCapacity
    }
}

/// The outcome of a request, telling failures before execution (HTTP 400) from execution results (HTTP 200).
public struct GraphQLResponse: Sendable, Hashable {
    /// Where a request stopped.
    public enum Phase: Sendable, Hashable {
        /// The document did not parse.
        case parse
        /// The document failed validation (or introspection is disabled).
        case validation
        /// The operation could not start: unknown/missing operation name, bad variables.
        case request
        /// The operation ran; `result` may still hold field errors.
        case execution
    }

    /// The phase that produced the result.
    public var phase: Phase
    /// The result to serialise.
    public var result: ExecutionResult

    /// Creates a response.
    public init(phase: Phase, result: ExecutionResult) {
        self.phase = phase
        self.result = result
    }

    /// True when nothing was executed: parse, validation and request errors (HTTP 400 in GraphQL over HTTP).
    public var isRequestError: Bool { phase != .execution }
}

/// A parsed and validated document, ready to execute many times (plans are cached inside).
public final class PreparedDocument: Sendable {
    /// The document.
    public let document: DocumentNode
    /// Execution plans reused across executions.
    let plans: PlanCache
    /// True when an operation's cost depends on variables: the engine checks it with each request's variables.
    let costDependsOnVariables: Bool

    /// Wraps a validated document.
    init(document: DocumentNode, costDependsOnVariables: Bool = false) {
        self.document = document
        plans = PlanCache(document: document)
        self.costDependsOnVariables = costDependsOnVariables
    }
}

/// A document that could not be prepared.
public struct PreparationFailure: Error, Sendable, Hashable {
    /// `.parse` or `.validation`.
    public var phase: GraphQLResponse.Phase
    /// The errors.
    public var errors: [GraphQLError]

    /// The response to send for it.
    public var response: GraphQLResponse { GraphQLResponse(phase: phase, result: ExecutionResult(data: nil, errors: errors)) }
}

/// The GraphQL engine: schema + resolvers + options, with an LRU cache of prepared documents so that
/// repeated queries skip parsing and validation. Copies share the cache.
public struct GraphQLEngine<Context: Sendable>: Sendable {
    /// The schema.
    public let schema: GraphQLSchema
    /// The resolvers.
    public let resolvers: Resolvers<Context>
    /// The options.
    public let options: GraphQLEngineOptions
    /// The root value handed to root field resolvers.
    public let rootValue: any Sendable
    /// Prepared documents (or their failures) by query text.
    let cache: SharedLRUCache<String, Result<PreparedDocument, PreparationFailure>>

    /// Creates an engine.
    public init(
        schema: GraphQLSchema, resolvers: Resolvers<Context>, options: GraphQLEngineOptions = GraphQLEngineOptions(),
        rootValue: any Sendable = Value.object([:])
    ) {
        self.schema = schema
        self.resolvers = resolvers
        self.options = options
        self.rootValue = rootValue
        cache = SharedLRUCache(
            capacity: options.documentCacheCapacity, maxBytes: options.documentCacheBytes,
            maxEntryBytes: options.documentCacheBytes / 4)
    }

    /// Documents currently cached.
    public var cachedDocumentCount: Int { cache.count }
    /// Estimated bytes of the cached documents (at most `options.documentCacheBytes`).
    public var cachedDocumentBytes: Int { cache.bytes }
    /// Cache hits and misses so far.
    public var cacheStatistics: (hits: Int, misses: Int) { cache.statistics }

    /// Parses and validates `query`, using the cache.
    public func prepare(query: String) throws(PreparationFailure) -> PreparedDocument {
        if let cached = cache.get(query) { return try cached.get() }
        let outcome = prepareUncached(query: query)
        if case .success(let prepared) = outcome {
            // Plans for more directive-variable values grow the entry; none are kept once it has left the cache.
            let bytes = DocumentCacheCost.additionalPlans(query: query)
            prepared.plans.chargeForContext { [weak cache] in cache?.grow(query, by: bytes) ?? false }
        }
        cache.set(query, outcome, bytes: DocumentCacheCost.bytes(query: query, outcome: outcome))
        return try outcome.get()
    }

    private func prepareUncached(query: String) -> Result<PreparedDocument, PreparationFailure> {
        let document: DocumentNode
        do {
            document = try parse(query, options: options.parse)
        } catch {
            return .failure(PreparationFailure(phase: .parse, errors: [error]))
        }
        // Cached documents are validated without variables: a cost that depends on them is checked per request.
        var errors = validate(
            schema: schema, document: document, rules: specifiedRules,
            options: ValidationOptions(
                maxErrors: options.maxValidationErrors, protection: options.protection, fieldCosts: options.fieldCosts,
                defersVariableCosts: true))
        if errors.isEmpty && !options.introspection { errors = introspectionDisabledErrors(document) }
        if !errors.isEmpty { return .failure(PreparationFailure(phase: .validation, errors: errors)) }
        return .success(PreparedDocument(document: document, costDependsOnVariables: costDependsOnVariables(document)))
    }

    /// The cost rule of the options, if the cost is limited.
    private var costRule: QueryCostRule? {
        guard let limits = options.protection, let maxCost = limits.maxCost else { return nil }
        return QueryCostRule(maxCost: maxCost, defaultListSize: limits.defaultListSize, fieldCosts: options.fieldCosts)
    }

    /// Whether some operation's cost reads a variable that has no default.
    private func costDependsOnVariables(_ document: DocumentNode) -> Bool {
        guard let rule = costRule else { return false }
        let context = ValidationContext(schema: schema, document: document, typeInfo: TypeInfo(schema: schema))
        return document.operations.contains { operation in
            !operation.variableDefinitions.isEmpty && rule.estimate(of: operation, context: context).readsUnknownVariables
        }
    }

    /// The cost error of the operation `operationName` selects, with the request's variables (nil when within the
    /// limit, or when the operation or its variables are invalid: execution reports those).
    private func costError(_ document: DocumentNode, operationName: String?, inputs: OrderedObject) -> GraphQLError? {
        guard let rule = costRule else { return nil }
        let operations = document.operations
        let selected =
            operationName.map { name in operations.first { $0.name?.value == name } }
            ?? (operations.count == 1 ? operations.first : nil)
        guard let operation = selected,
            case .success(let variables) = getVariableValues(
                schema: schema, definitions: operation.variableDefinitions, inputs: inputs, maxErrors: 1)
        else { return nil }
        let context = ValidationContext(
            schema: schema, document: document, typeInfo: TypeInfo(schema: schema), variableValues: variables)
        return rule.check(operation, context: context)
    }

    /// Parses, validates (both cached) and executes a request. Runs on the caller's executor
    /// (`nonisolated(nonsending)`), so synchronous resolvers complete without an executor hop.
    nonisolated(nonsending) public func execute(
        query: String, operationName: String? = nil, variables: Value? = nil, context: Context
    ) async -> GraphQLResponse {
        let prepared: PreparedDocument
        do {
            prepared = try prepare(query: query)
        } catch {
            return error.response
        }
        return await execute(prepared: prepared, operationName: operationName, variables: variables, context: context)
    }

    /// Executes an already prepared document, on the caller's executor (see `execute(query:)`).
    nonisolated(nonsending) public func execute(
        prepared: PreparedDocument, operationName: String? = nil, variables: Value? = nil, context: Context
    ) async -> GraphQLResponse {
        let inputs: OrderedObject
        switch variables {
        case nil, .null?: inputs = [:]
        case .object(let object)?: inputs = object
        default:
            let error = GraphQLError(
                "Variables must be provided as an Object where each property is a variable value. Perhaps look to "
                    + "see if an unparsed JSON string was provided.")
            return GraphQLResponse(phase: .request, result: ExecutionResult(data: nil, errors: [error]))
        }
        if prepared.costDependsOnVariables, let error = costError(prepared.document, operationName: operationName, inputs: inputs) {
            return GraphQLResponse(phase: .validation, result: ExecutionResult(data: nil, errors: [error]))
        }
        let operation = PreparedOperation.make(
            schema: schema, document: prepared.document, resolvers: resolvers.table, operationName: operationName,
            cache: prepared.plans)
        let result = await operation.execute(
            rootValue: rootValue, context: context, variables: inputs, options: options.execution)
        return GraphQLResponse(phase: result.data == nil ? .request : .execution, result: result)
    }
}

/// Conservative estimates of the memory a document cache entry holds, so that the cache is bounded in bytes:
/// many large distinct documents evict each other instead of growing the server's memory.
enum DocumentCacheCost {
    /// Fixed bytes per entry: cache slot, result, prepared document, plan cache.
    static let entryOverhead = 1_024
    /// Estimated syntax-tree bytes per byte of source (measured at up to ~32 for deeply nested selections).
    static let syntaxBytesPerSourceByte = 40
    /// Estimated bytes of one error of a failed document besides its message (locations, path, extensions).
    static let errorOverhead = 256

    /// An entry: the query text (the key), plus the syntax tree and the first set of plans of a prepared
    /// document, or the errors of a failed one.
    static func bytes(query: String, outcome: Result<PreparedDocument, PreparationFailure>) -> Int {
        let source = query.utf8.count
        switch outcome {
        case .success:
            return entryOverhead + source + source * (syntaxBytesPerSourceByte + PlanCache.estimatedBytesPerSourceByte)
        case .failure(let failure):
            return entryOverhead + source + failure.errors.reduce(0) { $0 + errorOverhead + $1.message.utf8.count }
        }
    }

    /// The plans of one more set of `@skip`/`@include` variable values.
    static func additionalPlans(query: String) -> Int { query.utf8.count * PlanCache.estimatedBytesPerSourceByte }
}
