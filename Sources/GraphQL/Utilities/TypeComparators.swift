/// True if both references denote the same type (graphql-js `isEqualType`).
public func isEqualType(_ typeA: TypeReference, _ typeB: TypeReference) -> Bool {
    typeA == typeB
}

/// True if `maybeSubType` may be used where `superType` is expected: same type, stricter nullability,
/// or an object/interface implementing (or member of) an abstract super type (graphql-js `isTypeSubTypeOf`).
public func isTypeSubTypeOf(_ schema: GraphQLSchema, _ maybeSubType: TypeReference, _ superType: TypeReference) -> Bool {
    isTypeSubTypeOf(schema.contents, maybeSubType, superType)
}

func isTypeSubTypeOf(_ schema: SchemaContents, _ maybeSubType: TypeReference, _ superType: TypeReference) -> Bool {
    if maybeSubType == superType { return true }
    switch (maybeSubType, superType) {
    case (.nonNull(let sub), .nonNull(let sup)):
        return isTypeSubTypeOf(schema, sub, sup)
    case (_, .nonNull):
        return false
    case (.nonNull(let sub), _):
        return isTypeSubTypeOf(schema, sub, superType)
    case (.list(let sub), .list(let sup)):
        return isTypeSubTypeOf(schema, sub, sup)
    case (_, .list), (.list, _):
        return false
    case (.named(let subName), .named(let superName)):
        guard let sup = schema.typeMap[superName], sup.isAbstractType,
            let sub = schema.typeMap[subName], sub.asObject != nil || sub.asInterface != nil
        else { return false }
        return schema.isSubType(superName, subName)
    }
}

/// True if two composite types can have a common object type at runtime (graphql-js `doTypesOverlap`).
public func doTypesOverlap(_ schema: GraphQLSchema, _ typeA: GraphQLNamedType, _ typeB: GraphQLNamedType) -> Bool {
    if typeA == typeB { return true }
    if typeA.isAbstractType {
        if typeB.isAbstractType {
            return schema.possibleTypes(of: typeA).contains { schema.isSubType(typeB, .object($0)) }
        }
        return schema.isSubType(typeA, typeB)
    }
    if typeB.isAbstractType {
        return schema.isSubType(typeB, typeA)
    }
    return false
}
