/// The type an AST type node denotes, or nil when its named type is not in the schema (graphql-js `typeFromAST`).
public func typeFromAST(_ schema: GraphQLSchema, _ typeNode: TypeNode) -> TypeReference? {
    guard schema.type(named: typeNode.namedType.name.value) != nil else { return nil }
    return TypeReference(typeNode)
}
