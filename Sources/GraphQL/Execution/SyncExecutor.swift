/// Executes selection sets whose resolvers are all synchronous, without suspending: the fast path.
///
/// The response path is a stack pushed and popped as fields complete; it is only copied when a
/// resolver asks for `ResolveInfo` or an error needs it. A value type, so that its state is mutated
/// without dynamic exclusivity checks.
struct SyncExecutor {
    /// The request.
    let request: ExecutionRequest
    /// The response path of the field being completed.
    var path: [PathComponent]
    /// Field errors recorded so far.
    var errors: [GraphQLError] = []

    /// Starts at `path`.
    init(request: ExecutionRequest, path: [PathComponent]) {
        self.request = request
        self.path = path
        self.path.reserveCapacity(16)
    }

    /// Executes `fields` on `source` (graphql-js `executeFields`), keeping response keys in order.
    mutating func executeFields(_ selection: SelectionPlan, source: ResolvedValue) throws(GraphQLError) -> OrderedObject {
        if case .value(let parent) = source { return try executeFields(selection, parent: parent) }
        let fields = selection.fields
        var values: [Value] = []
        values.reserveCapacity(fields.count)
        for field in fields {
            path.append(.key(field.responseKey))
            values.append(try executeField(field, source: source))
            path.removeLast()
        }
        return OrderedObject(distinctKeys: selection.keys, values: values)
    }

    /// `executeFields` on JSON-like data: fields without resolvers read the parent object directly.
    mutating func executeFields(_ selection: SelectionPlan, parent: Value) throws(GraphQLError) -> OrderedObject {
        let fields = selection.fields
        var values: [Value] = []
        values.reserveCapacity(fields.count)
        let object: OrderedObject?
        if case .object(let parentObject) = parent { object = parentObject } else { object = nil }
        for field in fields {
            path.append(.key(field.responseKey))
            let value: Value
            if field.usesBuiltinDefault {
                let raw = object.map { lookup($0, field) } ?? .null
                value = try completeField(field, raw)
            } else {
                value = try executeField(field, source: .value(parent))
            }
            path.removeLast()
            values.append(value)
        }
        return OrderedObject(distinctKeys: selection.keys, values: values)
    }

    /// Completes a field's already resolved value, handling its error like `executeField`.
    private mutating func completeField(_ field: FieldPlan, _ raw: Value) throws(GraphQLError) -> Value {
        let depth = path.count
        do {
            return try completeValue(0, field, raw)
        } catch {
            if path.count > depth { path.removeSubrange(depth...) }
            if field.wrappers.first == .nonNull { throw error }
            errors.append(error)
            return .null
        }
    }

    /// `complete` for a `Value`, without wrapping it in `ResolvedValue`.
    mutating func completeValue(_ level: Int, _ field: FieldPlan, _ value: Value) throws(GraphQLError) -> Value {
        if level < field.wrappers.count {
            if field.wrappers[level] == .nonNull {
                let completed = try completeValue(level + 1, field, value)
                if case .null = completed { throw nonNullError(field) }
                return completed
            }
            guard case .list(let items) = value else {
                if case .null = value { return .null }
                throw notIterable(field, path)
            }
            let itemIsNonNull = level + 1 < field.wrappers.count && field.wrappers[level + 1] == .nonNull
            var result: [Value] = []
            result.reserveCapacity(items.count)
            for index in items.indices {
                let depth = path.count
                path.append(.index(index))
                do {
                    result.append(try completeValue(level + 1, field, items[index]))
                    path.removeLast()
                } catch {
                    path.removeSubrange(depth...)
                    if itemIsNonNull { throw error }
                    errors.append(error)
                    result.append(.null)
                }
            }
            return .list(result)
        }
        if case .null = value { return .null }
        return try completeLeafOrComposite(field, value, .value(value))
    }

    private func nonNullError(_ field: FieldPlan) -> GraphQLError {
        GraphQLError(
            "Cannot return null for non-nullable field \(field.parentType.name).\(field.fieldName).",
            nodes: field.fieldNodes, path: path)
    }

    /// Resolves and completes one field; a failure becomes `null` here unless the field is non-null,
    /// in which case it propagates to the parent (graphql-js `executeField` + `handleFieldError`).
    mutating func executeField(_ field: FieldPlan, source: ResolvedValue) throws(GraphQLError) -> Value {
        let depth = path.count
        do {
            let resolved = try resolve(field, source)
            return try complete(0, field, resolved)
        } catch {
            if path.count > depth { path.removeSubrange(depth...) }
            if field.wrappers.first == .nonNull { throw error }
            errors.append(error)
            return .null
        }
    }

    private func resolve(_ field: FieldPlan, _ source: ResolvedValue) throws(GraphQLError) -> ResolvedValue {
        if let introspect = field.introspect { return try resolveIntrospection(introspect, field, source) }
        let resolver: AnyFieldResolver
        switch field.resolver {
        case .sync(let sync)?:
            resolver = sync
        case .async?:
            throw GraphQLError(
                "Field \"\(field.parentType.name).\(field.fieldName)\" has an asynchronous resolver.",
                nodes: field.fieldNodes, path: path)
        case nil:
            if case .typename = field.kind { return .value(.string(field.parentType.name)) }
            if case .value(.object(let object)) = source { return .value(lookup(object, field)) }
            return defaultResolve(source, field.fieldName)
        }
        do {
            let args = try field.arguments(request.variables)
            let info = ResolveInfo(field: field, request: request, path: path)
            return ResolvedValue(try resolver(source.boxed, args, request.context, info))
        } catch {
            throw locatedError(error, field, path)
        }
    }

    /// Resolves one field without completing it (used by the asynchronous executor for built-in fields).
    func resolvePublic(_ field: FieldPlan, _ source: ResolvedValue) throws(GraphQLError) -> ResolvedValue {
        try resolve(field, source)
    }

    private func resolveIntrospection(
        _ introspect: IntrospectionField, _ field: FieldPlan, _ source: ResolvedValue
    ) throws(GraphQLError) -> ResolvedValue {
        let parent: IntrospectionSource
        if case .meta(let meta) = source { parent = meta } else { parent = .schema }
        do {
            return try introspect.resolve(parent, try field.arguments(request.variables), request.schema)
        } catch {
            throw locatedError(error, field, path)
        }
    }

    /// The default resolver on a `Value` parent, trying the position the key had in the previous parent first.
    @inline(__always)
    private func lookup(_ object: OrderedObject, _ field: FieldPlan) -> Value {
        let keys = object.keyStorage
        let name = field.fieldName
        let hint = field.lookupHint.load(ordering: .relaxed)
        if hint < keys.count && keys[hint] == name { return object.valueStorage[hint] }
        guard let position = object.index(forKey: name) else { return .null }
        field.lookupHint.store(position, ordering: .relaxed)
        return object.valueStorage[position]
    }

    /// Completes a resolved value against the field's type from wrapper `level` on (graphql-js `completeValue`).
    mutating func complete(_ level: Int, _ field: FieldPlan, _ resolved: ResolvedValue) throws(GraphQLError) -> Value {
        if level < field.wrappers.count {
            if case .value(let value) = resolved { return try completeValue(level, field, value) }
            if field.wrappers[level] == .nonNull {
                let value = try complete(level + 1, field, resolved)
                if case .null = value { throw nonNullError(field) }
                return value
            }
            return try completeList(level + 1, field, resolved)
        }
        let value: Value
        switch resolved {
        case .value(let resolvedValue):
            if case .null = resolvedValue { return .null }
            value = resolvedValue
        case .other(let box):
            let other = box.value
            if let error = other as? any Error { throw locatedError(error, field, path) }
            if case .notLeaf = field.leaf { return try completeComposite(field, resolved) }
            guard let converted = leafValue(other) else {
                throw GraphQLError(
                    "\(field.namedType.name) cannot represent value: \(type(of: other))", nodes: field.fieldNodes,
                    path: path)
            }
            value = converted
        case .meta:
            return try completeComposite(field, resolved)
        case .metaList:
            throw notIterable(field, path)
        }
        return try completeLeafOrComposite(field, value, resolved)
    }

    /// Serialises a non-null leaf (inline for the specified scalars) or completes an object.
    @inline(__always)
    private mutating func completeLeafOrComposite(
        _ field: FieldPlan, _ value: Value, _ resolved: @autoclosure () -> ResolvedValue
    ) throws(GraphQLError) -> Value {
        switch field.leaf {
        case .string, .id:
            if case .string = value { return value }
            return try serialize(field, value)
        case .int:
            if case .int(let int) = value, int >= graphQLMinInt, int <= graphQLMaxInt { return value }
            return try serialize(field, value)
        case .float:
            switch value {
            case .int: return value
            case .double(let double) where double.isFinite: return value
            default: return try serialize(field, value)
            }
        case .boolean:
            if case .bool = value { return value }
            return try serialize(field, value)
        case .scalar, .enumType:
            return try serialize(field, value)
        case .notLeaf:
            return try completeComposite(field, resolved())
        }
    }

    private func serialize(_ field: FieldPlan, _ value: Value) throws(GraphQLError) -> Value {
        do {
            switch field.namedType {
            case .scalar(let scalar): return try scalar.serialize(value)
            case .enumType(let enumType): return try enumType.serialize(value)
            default: return value
            }
        } catch {
            throw locatedError(error, field, path)
        }
    }

    private mutating func completeComposite(_ field: FieldPlan, _ resolved: ResolvedValue) throws(GraphQLError) -> Value {
        let objectType: GraphQLObjectType
        switch field.namedType {
        case .object(let object):
            objectType = object
        case .interface, .union:
            let info = ResolveInfo(field: field, request: request, path: path)
            do {
                objectType = try runtimeObjectType(field, resolved, request: request, info: info)
            } catch {
                throw locatedError(error, field, path)
            }
        default:
            throw GraphQLError("Cannot complete value of input type \"\(field.namedType.name)\".", path: path)
        }
        let children: SelectionPlan
        do {
            children = try field.children(for: objectType)
        } catch {
            throw locatedError(error, field, path)
        }
        return .object(try executeFields(children, source: resolved))
    }

    private mutating func completeList(_ level: Int, _ field: FieldPlan, _ resolved: ResolvedValue) throws(GraphQLError) -> Value {
        let itemIsNonNull = level < field.wrappers.count && field.wrappers[level] == .nonNull
        switch resolved {
        case .value(.null):
            return .null
        case .value(.list(let items)):
            var result: [Value] = []
            result.reserveCapacity(items.count)
            for index in items.indices {
                result.append(try completeItem(level, itemIsNonNull, field, .value(items[index]), index))
            }
            return .list(result)
        case .value, .meta:
            throw notIterable(field, path)
        case .metaList(let items):
            var result: [Value] = []
            result.reserveCapacity(items.count)
            for index in items.indices {
                result.append(try completeItem(level, itemIsNonNull, field, .meta(items[index]), index))
            }
            return .list(result)
        case .other(let box):
            let other = box.value
            if let error = other as? any Error { throw locatedError(error, field, path) }
            guard let list = other as? any ListResult else { throw notIterable(field, path) }
            let items = list.resultElements
            var result: [Value] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                result.append(try completeItem(level, itemIsNonNull, field, ResolvedValue(flattenOptional(item)), index))
            }
            return .list(result)
        }
    }

    private mutating func completeItem(
        _ level: Int, _ itemIsNonNull: Bool, _ field: FieldPlan, _ item: ResolvedValue, _ index: Int
    ) throws(GraphQLError) -> Value {
        let depth = path.count
        path.append(.index(index))
        do {
            let value = try complete(level, field, item)
            path.removeLast()
            return value
        } catch {
            path.removeSubrange(depth...)
            if itemIsNonNull { throw error }
            errors.append(error)
            return .null
        }
    }
}

/// The error for a list field whose value is not a list.
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
        case .meta, .metaList:
            break
        case .other(let box):
            let other = box.value
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
