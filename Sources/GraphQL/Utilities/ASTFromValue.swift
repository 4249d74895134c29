/// Produces a literal for an internal value of an input type (graphql-js `astFromValue`), e.g. to print
/// default values in introspection. Returns nil when the value cannot be represented (or is "undefined").
///
/// Leaf values go through the type's `serialize`; a serialization error is rethrown.
public func astFromValue(_ value: Value?, type: TypeReference, schema: GraphQLSchema) throws(GraphQLError) -> ValueNode? {
    guard let value else { return nil }
    switch type {
    case .nonNull(let inner):
        let node = try astFromValue(value, type: inner, schema: schema)
        if case .null? = node { return nil }
        return node
    case .list(let itemType):
        if value.isNull { return .null(NullValueNode(loc: .unknown)) }
        if case .list(let items) = value {
            var nodes: [ValueNode] = []
            for item in items {
                if let node = try astFromValue(item, type: itemType, schema: schema) { nodes.append(node) }
            }
            return .list(ListValueNode(values: nodes, loc: .unknown))
        }
        return try astFromValue(value, type: itemType, schema: schema)
    case .named(let name):
        if value.isNull { return .null(NullValueNode(loc: .unknown)) }
        switch schema.type(named: name) {
        case .inputObject(let inputType)?:
            guard case .object(let object) = value else { return nil }
            var fields: [ObjectFieldNode] = []
            for field in inputType.fields {
                if let fieldValue = try astFromValue(object[field.name], type: field.type, schema: schema) {
                    fields.append(
                        ObjectFieldNode(name: NameNode(value: field.name), value: fieldValue, loc: .unknown))
                }
            }
            return .object(ObjectValueNode(fields: fields, loc: .unknown))
        case .scalar(let scalar)?:
            return try leafLiteral(try scalar.serialize(value), isEnum: false, isID: scalar.name == "ID")
        case .enumType(let enumType)?:
            return try leafLiteral(try enumType.serialize(value), isEnum: true, isID: false)
        default:
            return nil
        }
    }
}

private func leafLiteral(_ serialized: Value, isEnum: Bool, isID: Bool) throws(GraphQLError) -> ValueNode? {
    switch serialized {
    case .null:
        return nil
    case .bool(let bool):
        return .boolean(BooleanValueNode(value: bool, loc: .unknown))
    case .int(let int):
        return .int(IntValueNode(value: String(int), loc: .unknown))
    case .double(let double):
        guard double.isFinite else { throw GraphQLError("Cannot convert value to AST: \(inspect(serialized)).") }
        let text = JSNumber.format(double)
        return isIntegerString(text)
            ? .int(IntValueNode(value: text, loc: .unknown)) : .float(FloatValueNode(value: text, loc: .unknown))
    case .string(let string):
        if isEnum { return .enumValue(EnumValueNode(value: string, loc: .unknown)) }
        if isID && isIntegerString(string) { return .int(IntValueNode(value: string, loc: .unknown)) }
        return .string(StringValueNode(value: string, block: false, loc: .unknown))
    case .list, .object:
        throw GraphQLError("Cannot convert value to AST: \(inspect(serialized)).")
    }
}

/// `/^-?(?:0|[1-9][0-9]*)$/`
private func isIntegerString(_ text: String) -> Bool {
    var bytes = text.utf8[...]
    if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
    guard let first = bytes.first else { return false }
    if first == UInt8(ascii: "0") { return bytes.count == 1 }
    return bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
}
