/// Executes selection sets whose resolvers are all synchronous, without suspending: the fast path.
///
/// The response path is a stack pushed and popped as fields complete; it is only copied when a
/// resolver asks for `ResolveInfo` or an error needs it. Used by one task at a time.
final class SyncExecutor {
    let request: ExecutionRequest
    var path: [PathComponent]
    var errors: [GraphQLError] = []

    init(request: ExecutionRequest, path: [PathComponent]) {
        self.request = request
        self.path = path
        self.path.reserveCapacity(16)
    }

    /// Executes `fields` on `source` (graphql-js `executeFields`), keeping response keys in order.
    func executeFields(_ fields: [FieldPlan], source: ResolvedValue) throws(GraphQLError) -> OrderedObject {
        var result = OrderedObject(minimumCapacity: fields.count)
        for field in fields {
            path.append(.key(field.responseKey))
            let value = try executeField(field, source: source)
            path.removeLast()
            result.appendUnchecked(key: field.responseKey, value: value)
        }
        return result
    }

    /// Resolves and completes one field; a failure becomes `null` here unless the field is non-null,
    /// in which case it propagates to the parent (graphql-js `executeField` + `handleFieldError`).
    func executeField(_ field: FieldPlan, source: ResolvedValue) throws(GraphQLError) -> Value {
        let depth = path.count
        do {
            let resolved = try resolve(field, source)
            return try complete(field.returnType, field, resolved)
        } catch {
            if path.count > depth { path.removeSubrange(depth...) }
            if field.returnType.isNonNull { throw error }
            errors.append(error)
            return .null
        }
    }

    private func resolve(_ field: FieldPlan, _ source: ResolvedValue) throws(GraphQLError) -> ResolvedValue {
        if case .typename = field.kind { return .value(.string(field.parentType.name)) }
        let resolver: AnyFieldResolver
        switch field.resolver {
        case .sync(let sync)?:
            resolver = sync
        case .async?:
            throw GraphQLError(
                "Field \"\(field.parentType.name).\(field.fieldName)\" has an asynchronous resolver.",
                nodes: field.fieldNodes, path: path)
        case nil:
            guard let custom = request.plan.resolvers.defaultResolver else {
                return defaultResolve(source, field.fieldName)
            }
            resolver = custom
        }
        do {
            let args = try field.arguments(request.variables)
            let info = ResolveInfo(field: field, request: request, path: path)
            return ResolvedValue(try resolver(source.boxed, args, request.context, info))
        } catch {
            throw locatedError(error, field, path)
        }
    }

    /// Completes a resolved value against `type` (graphql-js `completeValue`).
    func complete(_ type: TypeReference, _ field: FieldPlan, _ resolved: ResolvedValue) throws(GraphQLError) -> Value {
        switch type {
        case .nonNull(let inner):
            let value = try complete(inner, field, resolved)
            if value.isNull {
                throw GraphQLError(
                    "Cannot return null for non-nullable field \(field.parentType.name).\(field.fieldName).",
                    nodes: field.fieldNodes, path: path)
            }
            return value
        case .list(let itemType):
            return try completeList(itemType, field, resolved)
        case .named:
            break
        }
        switch resolved {
        case .value(.null):
            return .null
        case .other(let other):
            if let error = other as? any Error { throw locatedError(error, field, path) }
        case .value:
            break
        }
        switch field.namedType {
        case .scalar(let scalar):
            return try completeLeaf(field, resolved) { value throws(GraphQLError) in try scalar.serialize(value) }
        case .enumType(let enumType):
            return try completeLeaf(field, resolved) { value throws(GraphQLError) in try enumType.serialize(value) }
        case .object(let objectType):
            return .object(try executeFields(try field.children(for: objectType), source: resolved))
        case .interface, .union:
            let info = ResolveInfo(field: field, request: request, path: path)
            let objectType = try resolveRuntimeType(field, resolved, info)
            return .object(try executeFields(try field.children(for: objectType), source: resolved))
        case .inputObject:
            throw GraphQLError("Cannot complete value of input type \"\(field.namedType.name)\".", path: path)
        }
    }

    private func completeLeaf(
        _ field: FieldPlan, _ resolved: ResolvedValue, _ serialize: (Value) throws(GraphQLError) -> Value
    ) throws(GraphQLError) -> Value {
        let input: Value
        switch resolved {
        case .value(let value): input = value
        case .other(let other):
            guard let converted = leafValue(other) else {
                throw GraphQLError(
                    "\(field.namedType.name) cannot represent value: \(type(of: other))", nodes: field.fieldNodes,
                    path: path)
            }
            input = converted
        }
        do {
            return try serialize(input)
        } catch {
            throw locatedError(error, field, path)
        }
    }

    private func completeList(
        _ itemType: TypeReference, _ field: FieldPlan, _ resolved: ResolvedValue
    ) throws(GraphQLError) -> Value {
        switch resolved {
        case .value(.null):
            return .null
        case .value(.list(let items)):
            var result: [Value] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                result.append(try completeItem(itemType, field, .value(item), index))
            }
            return .list(result)
        case .value:
            throw notIterable(field, path)
        case .other(let other):
            if let error = other as? any Error { throw locatedError(error, field, path) }
            guard let list = other as? any ListResult else { throw notIterable(field, path) }
            let items = list.resultElements
            var result: [Value] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                result.append(try completeItem(itemType, field, ResolvedValue(flattenOptional(item)), index))
            }
            return .list(result)
        }
    }

    private func completeItem(
        _ itemType: TypeReference, _ field: FieldPlan, _ item: ResolvedValue, _ index: Int
    ) throws(GraphQLError) -> Value {
        let depth = path.count
        path.append(.index(index))
        do {
            let value = try complete(itemType, field, item)
            path.removeLast()
            return value
        } catch {
            path.removeSubrange(depth...)
            if itemType.isNonNull { throw error }
            errors.append(error)
            return .null
        }
    }

    private func resolveRuntimeType(
        _ field: FieldPlan, _ resolved: ResolvedValue, _ info: ResolveInfo
    ) throws(GraphQLError) -> GraphQLObjectType {
        do {
            return try runtimeObjectType(field, resolved, request: request, info: info)
        } catch {
            throw locatedError(error, field, path)
        }
    }
}

func notIterable(_ field: FieldPlan, _ path: [PathComponent]) -> GraphQLError {
    GraphQLError(
        "Expected Iterable, but did not find one for field \"\(field.parentType.name).\(field.fieldName)\".",
        nodes: field.fieldNodes, path: path)
}

/// Finds the object type of a value returned for an abstract field (graphql-js `completeAbstractValue` and
/// `ensureValidRuntimeType`): the registered type resolver, else `__typename` / `GraphQLTypeNamed`.
func runtimeObjectType(
    _ field: FieldPlan, _ resolved: ResolvedValue, request: ExecutionRequest, info: ResolveInfo
) throws -> GraphQLObjectType {
    let abstractType = field.namedType
    let schema = request.schema
    var typeName: String?
    if let typeResolver = request.plan.resolvers.typeResolvers[abstractType.name] {
        typeName = try typeResolver(resolved.boxed, request.context, info)
    } else {
        switch resolved {
        case .value(let value):
            typeName = value["__typename"]?.stringValue
        case .other(let other):
            if let named = other as? any GraphQLTypeNamed {
                typeName = named.graphQLTypeName
            } else if let dictionary = other as? [String: any Sendable] {
                typeName = dictionary["__typename"] as? String
            }
        }
    }
    guard let typeName else {
        throw GraphQLError(
            "Abstract type \"\(abstractType.name)\" must resolve to an Object type at runtime for field "
                + "\"\(field.parentType.name).\(field.fieldName)\". Either the \"\(abstractType.name)\" type should "
                + "provide a \"resolveType\" function or each possible type should provide an \"isTypeOf\" function.")
    }
    guard let runtimeType = schema.type(named: typeName) else {
        throw GraphQLError(
            "Abstract type \"\(abstractType.name)\" was resolved to a type \"\(typeName)\" that does not exist "
                + "inside the schema.")
    }
    guard case .object(let objectType) = runtimeType else {
        throw GraphQLError("Abstract type \"\(abstractType.name)\" was resolved to a non-object type \"\(typeName)\".")
    }
    guard schema.isSubType(abstractType, runtimeType) else {
        throw GraphQLError(
            "Runtime Object type \"\(typeName)\" is not a possible type for \"\(abstractType.name)\".")
    }
    return objectType
}
