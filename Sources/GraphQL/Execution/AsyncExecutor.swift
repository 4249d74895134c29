import Synchronization

/// Collects field errors from concurrently running parts of one execution.
final class ErrorCollector: Sendable {
    private let storage = Mutex<[GraphQLError]>([])

    /// Records one error.
    func append(_ error: GraphQLError) { storage.withLock { $0.append(error) } }
    /// Records several errors.
    func append(contentsOf errors: [GraphQLError]) {
        if errors.isEmpty { return }
        storage.withLock { $0.append(contentsOf: errors) }
    }
    /// The errors recorded so far.
    var errors: [GraphQLError] { storage.withLock { $0 } }
}

/// Executes selection sets that contain asynchronous resolvers. Subtrees whose resolvers are all
/// synchronous are handed to `SyncExecutor`, so they never suspend.
struct AsyncExecutor: Sendable {
    /// The request.
    let request: ExecutionRequest
    /// Where field errors go.
    let collector: ErrorCollector

    /// Executes fields one after another (mutations, and nested selections).
    func executeFieldsSerially(
        _ fields: [FieldPlan], source: ResolvedValue, path: [PathComponent]
    ) async throws(GraphQLError) -> OrderedObject {
        var result = OrderedObject(minimumCapacity: fields.count)
        for field in fields {
            let value = try await executeField(field, source: source, path: path + [.key(field.responseKey)])
            result.appendUnchecked(key: field.responseKey, value: value)
        }
        return result
    }

    /// Executes fields, running those with asynchronous subtrees concurrently; keys stay in query order.
    func executeFieldsConcurrently(
        _ fields: [FieldPlan], source: ResolvedValue, path: [PathComponent]
    ) async throws(GraphQLError) -> OrderedObject {
        let asyncCount = fields.reduce(0) { $0 + ($1.isSubtreeSync() ? 0 : 1) }
        if asyncCount < 2 { return try await executeFieldsSerially(fields, source: source, path: path) }
        var values = [Value?](repeating: nil, count: fields.count)
        var firstError: GraphQLError?
        await withTaskGroup(of: (Int, Result<Value, GraphQLError>).self) { group in
            for (index, field) in fields.enumerated() where !field.isSubtreeSync() {
                group.addTask {
                    do throws(GraphQLError) {
                        let value = try await executeField(field, source: source, path: path + [.key(field.responseKey)])
                        return (index, .success(value))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for (index, field) in fields.enumerated() where field.isSubtreeSync() {
                do throws(GraphQLError) {
                    values[index] = try await executeField(field, source: source, path: path + [.key(field.responseKey)])
                } catch {
                    if firstError == nil { firstError = error }
                }
            }
            for await (index, outcome) in group {
                switch outcome {
                case .success(let value): values[index] = value
                case .failure(let error): if firstError == nil { firstError = error }
                }
            }
        }
        if let firstError { throw firstError }
        var result = OrderedObject(minimumCapacity: fields.count)
        for (index, field) in fields.enumerated() {
            result.appendUnchecked(key: field.responseKey, value: values[index] ?? .null)
        }
        return result
    }

    /// Resolves and completes one field, on the synchronous path when its whole subtree allows it.
    func executeField(_ field: FieldPlan, source: ResolvedValue, path: [PathComponent]) async throws(GraphQLError) -> Value {
        if field.isSubtreeSync() {
            var executor = SyncExecutor(request: request, path: path)
            defer { collector.append(contentsOf: executor.errors) }
            return try executor.executeField(field, source: source)
        }
        do {
            let resolved = try await resolve(field, source, path)
            return try await complete(field.returnType, field, resolved, path)
        } catch {
            if field.returnType.isNonNull { throw error }
            collector.append(error)
            return .null
        }
    }

    private func resolve(
        _ field: FieldPlan, _ source: ResolvedValue, _ path: [PathComponent]
    ) async throws(GraphQLError) -> ResolvedValue {
        if case .typename = field.kind { return .value(.string(field.parentType.name)) }
        if field.introspect != nil {
            let executor = SyncExecutor(request: request, path: path)
            return try executor.resolvePublic(field, source)
        }
        do {
            let args = try field.arguments(request.variables)
            let info = ResolveInfo(field: field, request: request, path: path)
            switch field.resolver {
            case .sync(let sync)?:
                return ResolvedValue(try sync(source.boxed, args, request.context, info))
            case .async(let resolver)?:
                return ResolvedValue(try await resolver(source.boxed, args, request.context, info))
            case nil:
                return defaultResolve(source, field.fieldName)
            }
        } catch {
            throw locatedError(error, field, path)
        }
    }

    private func complete(
        _ type: TypeReference, _ field: FieldPlan, _ resolved: ResolvedValue, _ path: [PathComponent]
    ) async throws(GraphQLError) -> Value {
        switch type {
        case .nonNull(let inner):
            let value = try await complete(inner, field, resolved, path)
            if value.isNull {
                throw GraphQLError(
                    "Cannot return null for non-nullable field \(field.parentType.name).\(field.fieldName).",
                    nodes: field.fieldNodes, path: path)
            }
            return value
        case .list(let itemType):
            let items: [ResolvedValue]
            switch resolved {
            case .value(.null): return .null
            case .value(.list(let values)): items = values.map(ResolvedValue.value)
            case .metaList(let sources): items = sources.map(ResolvedValue.meta)
            case .value, .meta: throw notIterable(field, path)
            case .other(let box):
                let other = box.value
                if let error = other as? any Error { throw locatedError(error, field, path) }
                guard let list = other as? any ListResult else { throw notIterable(field, path) }
                items = list.resultElements.map { ResolvedValue(flattenOptional($0)) }
            }
            var result: [Value] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                do throws(GraphQLError) {
                    result.append(try await complete(itemType, field, item, path + [.index(index)]))
                } catch {
                    if itemType.isNonNull { throw error }
                    collector.append(error)
                    result.append(.null)
                }
            }
            return .list(result)
        case .named:
            switch field.namedType {
            case .object, .interface, .union:
                break
            default:
                // Leaves never suspend: reuse the synchronous completion.
                var executor = SyncExecutor(request: request, path: path)
                return try executor.complete(field.wrappers.count, field, resolved)
            }
        }
        switch resolved {
        case .value(.null): return .null
        case .other(let box):
            let other = box.value
            if let error = other as? any Error { throw locatedError(error, field, path) }
        case .value, .meta, .metaList: break
        }
        let objectType: GraphQLObjectType
        if case .object(let object) = field.namedType {
            objectType = object
        } else {
            do {
                let info = ResolveInfo(field: field, request: request, path: path)
                objectType = try runtimeObjectType(field, resolved, request: request, info: info)
            } catch {
                throw locatedError(error, field, path)
            }
        }
        let children: [FieldPlan]
        do {
            children = try field.children(for: objectType).fields
        } catch {
            throw locatedError(error, field, path)
        }
        return .object(try await executeFieldsSerially(children, source: resolved, path: path))
    }
}
