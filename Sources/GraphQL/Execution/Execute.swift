import JSONCore

/// The result of executing an operation (graphql-js `ExecutionResult`).
public struct ExecutionResult: Sendable, Hashable {
    /// The data; nil when execution did not start (e.g. invalid variables), `.null` when null reached the root.
    public var data: Value?
    /// Field and request errors, in the order they were found.
    public var errors: [GraphQLError]

    /// Creates a result.
    public init(data: Value?, errors: [GraphQLError] = []) {
        self.data = data
        self.errors = errors
    }

    /// The response map as `JSON.stringify` prints a graphql-js result: `errors` first (only when there
    /// are any), then `data` (only when execution started).
    public var jsonValue: Value {
        var object = OrderedObject(minimumCapacity: 2)
        if !errors.isEmpty { object.appendUnchecked(key: "errors", value: .list(errors.map(\.jsonValue))) }
        if let data { object.appendUnchecked(key: "data", value: data) }
        return .object(object)
    }

    /// The response serialised as compact JSON (UTF-8).
    public var jsonBytes: [UInt8] {
        // `jsonValue` written directly, without building the outer object.
        var output = JSONOutput(capacity: 1024)
        output.append(UInt8(ascii: "{"))
        if !errors.isEmpty {
            output.writeString("errors")
            output.append(UInt8(ascii: ":"))
            output.write(.list(errors.map(\.jsonValue)))
        }
        if let data {
            if !errors.isEmpty { output.append(UInt8(ascii: ",")) }
            output.writeString("data")
            output.append(UInt8(ascii: ":"))
            output.write(data)
        }
        output.append(UInt8(ascii: "}"))
        return output.bytes()
    }
}

/// Execution settings.
public struct ExecutionOptions: Sendable, Hashable {
    /// The most errors one response carries; further errors are dropped and a final
    /// "Too many errors" error is added. Default 100.
    public var maxErrors: Int
    /// The most variable coercion errors reported before coercion stops (graphql-js uses 50).
    public var maxVariableErrors: Int

    /// Creates options.
    public init(maxErrors: Int = 100, maxVariableErrors: Int = 50) {
        self.maxErrors = maxErrors
        self.maxVariableErrors = maxVariableErrors
    }
}

/// Executes an operation of an (already validated) document (graphql-js `execute`).
///
/// Query root fields run concurrently when their resolvers are asynchronous; mutation root fields run
/// one after another; a subscription operation executes once, like a query.
nonisolated(nonsending) public func execute<Context: Sendable>(
    schema: GraphQLSchema, document: DocumentNode, resolvers: Resolvers<Context>,
    rootValue: any Sendable = Value.object([:]), context: Context, variables: OrderedObject = [:],
    operationName: String? = nil, options: ExecutionOptions = ExecutionOptions()
) async -> ExecutionResult {
    let prepared = PreparedOperation.make(
        schema: schema, document: document, resolvers: resolvers.table, operationName: operationName)
    return await prepared.execute(rootValue: rootValue, context: context, variables: variables, options: options)
}

/// Executes an operation with default resolvers only (JSON-like data reachable from `rootValue`).
nonisolated(nonsending) public func execute(
    schema: GraphQLSchema, document: DocumentNode, rootValue: any Sendable = Value.object([:]),
    variables: OrderedObject = [:], operationName: String? = nil, options: ExecutionOptions = ExecutionOptions()
) async -> ExecutionResult {
    await execute(
        schema: schema, document: document, resolvers: Resolvers<Void>(), rootValue: rootValue, context: (),
        variables: variables, operationName: operationName, options: options)
}

/// An operation of a document selected by name, with its fragments indexed and root plans cached
/// per value of the variables that `@skip`/`@include` read.
struct PreparedOperation: Sendable {
    /// The schema.
    let schema: GraphQLSchema
    /// The resolvers.
    let resolvers: ResolverTable
    /// The operation to run, or why none could be selected.
    let selection: Result<OperationDefinitionNode, GraphQLError>
    /// The document's fragments by name (the first of each name).
    let fragments: [String: FragmentDefinitionNode]
    /// Plans kept across executions of a prepared document; nil plans afresh.
    let cache: PlanCache?

    /// Selects the operation (graphql-js `buildExecutionContext`) and indexes the fragments.
    static func make(
        schema: GraphQLSchema, document: DocumentNode, resolvers: ResolverTable, operationName: String?,
        cache: PlanCache? = nil
    ) -> PreparedOperation {
        let (operations, fragments) = cache.map { ($0.operations, $0.fragments) } ?? index(document)
        let selection: Result<OperationDefinitionNode, GraphQLError>
        if let operationName {
            if let operation = operations.first(where: { $0.name?.value == operationName }) {
                selection = .success(operation)
            } else {
                selection = .failure(GraphQLError("Unknown operation named \"\(operationName)\"."))
            }
        } else if operations.count == 1 {
            selection = .success(operations[0])
        } else if operations.isEmpty {
            selection = .failure(GraphQLError("Must provide an operation."))
        } else {
            selection = .failure(GraphQLError("Must provide operation name if query contains multiple operations."))
        }
        return PreparedOperation(
            schema: schema, resolvers: resolvers, selection: selection, fragments: fragments, cache: cache)
    }

    /// The operations of `document` in order and its fragments by name (the first of each name).
    static func index(
        _ document: DocumentNode
    ) -> (operations: [OperationDefinitionNode], fragments: [String: FragmentDefinitionNode]) {
        var fragments: [String: FragmentDefinitionNode] = [:]
        var operations: [OperationDefinitionNode] = []
        for definition in document.definitions {
            switch definition {
            case .operation(let operation): operations.append(operation)
            case .fragment(let fragment): if fragments[fragment.name.value] == nil { fragments[fragment.name.value] = fragment }
            default: break
            }
        }
        return (operations, fragments)
    }

    /// Coerces variables, plans and runs the operation, then applies the error limit.
    nonisolated(nonsending) func execute(
        rootValue: any Sendable, context: any Sendable, variables inputs: OrderedObject, options: ExecutionOptions
    ) async -> ExecutionResult {
        let operation: OperationDefinitionNode
        switch selection {
        case .success(let selected): operation = selected
        case .failure(let error): return ExecutionResult(data: nil, errors: [error])
        }
        let variables: OrderedObject
        switch getVariableValues(
            schema: schema, definitions: operation.variableDefinitions, inputs: inputs,
            maxErrors: options.maxVariableErrors)
        {
        case .success(let coerced): variables = coerced
        case .failure(let failure): return ExecutionResult(data: nil, errors: failure.errors)
        }
        guard let rootType = schema.rootType(for: operation.operation) else {
            let error = GraphQLError(
                "Schema is not configured to execute \(operation.operation.rawValue) operation.", nodes: [operation])
            return ExecutionResult(data: .null, errors: [error])
        }
        let planContext =
            cache?.context(for: variables, operation: operation) {
                PlanContext(schema: schema, fragments: fragments, resolvers: resolvers, variables: $0)
            } ?? PlanContext(schema: schema, fragments: fragments, resolvers: resolvers, variables: variables)
        let request = ExecutionRequest(
            schema: schema, operation: operation, plan: planContext, variables: variables, rootValue: rootValue,
            context: context)
        let source = ResolvedValue(rootValue)
        let result: ExecutionResult
        do throws(GraphQLError) {
            let rootFields = try planContext.rootFields(rootType, operation: operation)
            if !resolvers.hasAsync {
                var executor = SyncExecutor(request: request, path: [])
                do throws(GraphQLError) {
                    let selection = SelectionPlan(fields: rootFields, keys: rootFields.map(\.responseKey))
                    let data = try executor.executeFields(selection, source: source)
                    result = ExecutionResult(data: .object(data), errors: executor.errors)
                } catch {
                    result = ExecutionResult(data: .null, errors: executor.errors + [error])
                }
            } else {
                let collector = ErrorCollector()
                let executor = AsyncExecutor(request: request, collector: collector)
                do throws(GraphQLError) {
                    let data =
                        operation.operation == .mutation
                        ? try await executor.executeFieldsSerially(rootFields, source: source, path: [])
                        : try await executor.executeFieldsConcurrently(rootFields, source: source, path: [])
                    result = ExecutionResult(data: .object(data), errors: collector.errors)
                } catch {
                    result = ExecutionResult(data: .null, errors: collector.errors + [error])
                }
            }
        } catch {
            result = ExecutionResult(data: .null, errors: [error])
        }
        return limitErrors(result, options.maxErrors)
    }
}

private func limitErrors(_ result: ExecutionResult, _ maxErrors: Int) -> ExecutionResult {
    guard result.errors.count > maxErrors else { return result }
    var limited = result
    limited.errors = Array(result.errors.prefix(max(0, maxErrors)))
    limited.errors.append(
        GraphQLError(
            "Too many errors: \(result.errors.count - limited.errors.count) more dropped.",
            extensions: ["code": "TOO_MANY_ERRORS"]))
    return limited
}
