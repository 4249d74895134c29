/// The `extensions.code` of the error reported for `__schema`/`__type` when introspection is disabled.
public let introspectionDisabledCode = "INTROSPECTION_DISABLED"

/// Reports every `__schema` and `__type` field of an executable document (in operations and fragments), for
/// servers that turn introspection off. `__typename` stays allowed.
public func introspectionDisabledErrors(_ document: DocumentNode) -> [GraphQLError] {
    var errors: [GraphQLError] = []
    func visit(_ selections: [SelectionNode]) {
        for selection in selections {
            switch selection {
            case .field(let field):
                let name = field.name.value
                if name == "__schema" || name == "__type" {
                    errors.append(
                        GraphQLError(
                            "GraphQL introspection has been disabled, but the requested query contained the field "
                                + "\"\(name)\".", nodes: [field], extensions: ["code": .string(introspectionDisabledCode)]))
                }
                visit(field.selectionSet?.selections ?? [])
            case .inlineFragment(let fragment):
                visit(fragment.selectionSet.selections)
            case .fragmentSpread:
                break
            }
        }
    }
    for definition in document.definitions {
        switch definition {
        case .operation(let operation): visit(operation.selectionSet.selections)
        case .fragment(let fragment): visit(fragment.selectionSet.selections)
        default: break
        }
    }
    return errors
}
