/// Coerces a literal to the internal value of an input type (graphql-js `valueFromAST`, with the `@oneOf`
/// rule of graphql-js 16.9+). Returns nil when the literal is invalid for the type; validation reports why.
///
/// `variables` holds already-coerced variable values; a variable missing from it is "undefined".
public func valueFromAST(
    _ valueNode: ValueNode?, type: TypeReference, schema: GraphQLSchema, variables: OrderedObject? = nil
) -> Value? {
    let typeMap = schema.contents.typeMap
    return valueFromAST(valueNode, type, variables) { typeMap[$0] }
}

/// `valueFromAST` against any way of looking types up by name (used while a schema is being built).
func valueFromAST(
    _ valueNode: ValueNode?, _ type: TypeReference, _ variables: OrderedObject?,
    _ lookup: (String) -> GraphQLNamedType?
) -> Value? {
    guard let valueNode else { return nil }
    if case .variable(let variable) = valueNode {
        guard let value = variables?[variable.name.value] else { return nil }
        if value.isNull && type.isNonNull { return nil }
        return value
    }
    switch type {
    case .nonNull(let inner):
        if case .null = valueNode { return nil }
        return valueFromAST(valueNode, inner, variables, lookup)
    case .list(let itemType):
        if case .null = valueNode { return .null }
        guard case .list(let list) = valueNode else {
            guard let coerced = valueFromAST(valueNode, itemType, variables, lookup) else { return nil }
            return .list([coerced])
        }
        var coercedValues: [Value] = []
        coercedValues.reserveCapacity(list.values.count)
        for item in list.values {
            if isMissingVariable(item, variables) {
                if itemType.isNonNull { return nil }
                coercedValues.append(.null)
            } else {
                guard let itemValue = valueFromAST(item, itemType, variables, lookup) else { return nil }
                coercedValues.append(itemValue)
            }
        }
        return .list(coercedValues)
    case .named(let name):
        if case .null = valueNode { return .null }
        switch lookup(name) {
        case .inputObject(let inputType)?:
            return inputObjectFromAST(valueNode, inputType, variables, lookup)
        case .scalar(let scalar)?:
            return try? scalar.parseLiteral(valueNode, variables: variables)
        case .enumType(let enumType)?:
            return try? enumType.parseLiteral(valueNode)
        default:
            return nil
        }
    }
}

private func inputObjectFromAST(
    _ valueNode: ValueNode, _ inputType: GraphQLInputObjectType, _ variables: OrderedObject?,
    _ lookup: (String) -> GraphQLNamedType?
) -> Value? {
    guard case .object(let object) = valueNode else { return nil }
    var coerced = OrderedObject(minimumCapacity: inputType.fields.count)
    for field in inputType.fields {
        // graphql-js keys the literal's fields by name, so the last duplicate wins.
        let fieldNode = object.fields.last { $0.name.value == field.name }
        guard let fieldNode, !isMissingVariable(fieldNode.value, variables) else {
            if let defaultValue = field.defaultValue {
                coerced.appendUnchecked(key: field.name, value: defaultValue)
            } else if field.type.isNonNull {
                return nil
            }
            continue
        }
        guard let fieldValue = valueFromAST(fieldNode.value, field.type, variables, lookup) else { return nil }
        coerced.appendUnchecked(key: field.name, value: fieldValue)
    }
    if inputType.isOneOf {
        guard coerced.count == 1, !coerced[0].value.isNull else { return nil }
    }
    return .object(coerced)
}

private func isMissingVariable(_ valueNode: ValueNode, _ variables: OrderedObject?) -> Bool {
    guard case .variable(let variable) = valueNode else { return false }
    return variables?[variable.name.value] == nil
}

/// Converts a literal to a value without a type (graphql-js `valueFromASTUntyped`): ints and floats become
/// numbers, enums become strings, variables are read from `variables` (missing ones become null in lists
/// and are left out of objects).
public func valueFromASTUntyped(_ valueNode: ValueNode, variables: OrderedObject? = nil) -> Value {
    switch valueNode {
    case .null: return .null
    case .int(let node):
        if let integer = Int(node.value) { return .int(integer) }
        return .double(Double(node.value) ?? 0)
    case .float(let node): return .double(Double(node.value) ?? 0)
    case .string(let node): return .string(node.value)
    case .enumValue(let node): return .string(node.value)
    case .boolean(let node): return .bool(node.value)
    case .list(let node): return .list(node.values.map { valueFromASTUntyped($0, variables: variables) })
    case .object(let node):
        var object = OrderedObject(minimumCapacity: node.fields.count)
        for field in node.fields {
            if case .variable(let variable) = field.value, variables?[variable.name.value] == nil {
                continue
            }
            object[field.name.value] = valueFromASTUntyped(field.value, variables: variables)
        }
        return .object(object)
    case .variable(let node):
        return variables?[node.name.value] ?? .null
    }
}
