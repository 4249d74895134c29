/// Receives each problem found while coercing an input value: the path inside the value, the offending
/// value, and the error.
public typealias InputCoercionErrorHandler = (_ path: [PathComponent], _ invalidValue: Value, _ error: GraphQLError) -> Void

/// Coerces a JSON input value (e.g. a variable) to the internal value of `type`, reporting every problem with
/// its path (graphql-js `coerceInputValue`, with the `@oneOf` rule of graphql-js 16.9+).
/// Returns nil when the value could not be coerced (at least one error was reported).
public func coerceInputValue(
    _ inputValue: Value, type: TypeReference, schema: GraphQLSchema, onError: InputCoercionErrorHandler
) -> Value? {
    withoutActuallyEscaping(onError) { handler in
        var coercer = InputCoercer(typeMap: schema.contents.typeMap, onError: handler)
        return coercer.coerce(inputValue, type)
    }
}

/// Coerces a JSON input value, throwing the first problem as graphql-js's default handler does:
/// `Invalid value <value> at "value.path": <reason>`.
public func coerceInputValue(_ inputValue: Value, type: TypeReference, schema: GraphQLSchema) throws(GraphQLError) -> Value {
    var firstError: GraphQLError?
    let result = coerceInputValue(inputValue, type: type, schema: schema) { path, invalidValue, error in
        guard firstError == nil else { return }
        var prefix = "Invalid value " + inspect(invalidValue)
        if !path.isEmpty {
            prefix += " at \"value\(printPathArray(path))\""
        }
        var located = error
        located.message = prefix + ": " + error.message
        firstError = located
    }
    if let firstError { throw firstError }
    return result ?? .null
}

/// Formats a path the way graphql-js `printPathArray` does: `.field[0].other`.
public func printPathArray(_ path: [PathComponent]) -> String {
    var result = ""
    for component in path {
        switch component {
        case .key(let key): result += "." + key
        case .index(let index): result += "[\(index)]"
        }
    }
    return result
}

private struct InputCoercer {
    let typeMap: [String: GraphQLNamedType]
    let onError: InputCoercionErrorHandler
    var path: [PathComponent] = []

    init(typeMap: [String: GraphQLNamedType], onError: @escaping InputCoercionErrorHandler) {
        self.typeMap = typeMap
        self.onError = onError
    }

    mutating func coerce(_ inputValue: Value, _ type: TypeReference) -> Value? {
        switch type {
        case .nonNull(let inner):
            if !inputValue.isNull {
                return coerce(inputValue, inner)
            }
            onError(path, inputValue, GraphQLError("Expected non-nullable type \"\(type)\" not to be null."))
            return nil
        case .list(let itemType):
            if inputValue.isNull { return .null }
            guard case .list(let items) = inputValue else {
                return coerce(inputValue, itemType).map { .list([$0]) }
            }
            var coerced: [Value] = []
            coerced.reserveCapacity(items.count)
            var failed = false
            for (index, item) in items.enumerated() {
                path.append(.index(index))
                if let value = coerce(item, itemType) {
                    coerced.append(value)
                } else {
                    failed = true
                    coerced.append(.null)
                }
                path.removeLast()
            }
            return failed ? nil : .list(coerced)
        case .named(let name):
            if inputValue.isNull { return .null }
            switch typeMap[name] {
            case .inputObject(let inputType)?:
                return coerceInputObject(inputValue, inputType)
            case .scalar(let scalar)?:
                return coerceLeaf(inputValue) { value throws(GraphQLError) in try scalar.parseValue(value) }
            case .enumType(let enumType)?:
                return coerceLeaf(inputValue) { value throws(GraphQLError) in try enumType.parseValue(value) }
            default:
                onError(path, inputValue, GraphQLError("Expected type \"\(name)\"."))
                return nil
            }
        }
    }

    mutating func coerceLeaf(_ inputValue: Value, _ parse: (Value) throws(GraphQLError) -> Value) -> Value? {
        do {
            return try parse(inputValue)
        } catch {
            onError(path, inputValue, error)
            return nil
        }
    }

    mutating func coerceInputObject(_ inputValue: Value, _ inputType: GraphQLInputObjectType) -> Value? {
        let fields: OrderedObject
        switch inputValue {
        case .object(let object):
            fields = object
        case .list(let items):
            // JavaScript arrays are objects whose keys are their indices.
            fields = OrderedObject(items.enumerated().map { (String($0.offset), $0.element) })
        default:
            onError(path, inputValue, GraphQLError("Expected type \"\(inputType.name)\" to be an object."))
            return nil
        }
        var coerced = OrderedObject(minimumCapacity: inputType.fields.count)
        var failed = false
        // graphql-js counts every provided field as a key of the result, even when its coercion failed.
        var providedKeys = 0
        var firstKey: String?
        for field in inputType.fields {
            guard let fieldValue = fields[field.name] else {
                if let defaultValue = field.defaultValue {
                    coerced.appendUnchecked(key: field.name, value: defaultValue)
                    providedKeys += 1
                    firstKey = firstKey ?? field.name
                } else if field.type.isNonNull {
                    onError(
                        path, inputValue,
                        GraphQLError("Field \"\(field.name)\" of required type \"\(field.type)\" was not provided."))
                    failed = true
                }
                continue
            }
            providedKeys += 1
            firstKey = firstKey ?? field.name
            path.append(.key(field.name))
            if let value = coerce(fieldValue, field.type) {
                coerced.appendUnchecked(key: field.name, value: value)
            } else {
                failed = true
            }
            path.removeLast()
        }
        for key in fields.keys where inputType.fields[key] == nil {
            let suggestions = suggestionList(key, options: inputType.fields.names)
            onError(
                path, inputValue,
                GraphQLError("Field \"\(key)\" is not defined by type \"\(inputType.name)\"." + didYouMean(suggestions)))
            failed = true
        }
        if inputType.isOneOf {
            if providedKeys != 1 {
                onError(
                    path, inputValue,
                    GraphQLError("Exactly one key must be specified for OneOf type \"\(inputType.name)\"."))
                failed = true
            }
            if let key = firstKey, coerced[key]?.isNull == true {
                onError(path + [.key(key)], .null, GraphQLError("Field \"\(key)\" must be non-null."))
                failed = true
            }
        }
        return failed ? nil : .object(coerced)
    }
}
