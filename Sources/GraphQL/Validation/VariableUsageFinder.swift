/// Finds the variable references of an operation or fragment with the input type and default value expected at
/// each, exactly as a `TypeInfoVisitor` walk reports them (graphql-js `getVariableUsages`), but following only
/// selections, arguments and values instead of driving a visitor through every node.
struct VariableUsageFinder {
    /// The schema types are looked up in.
    let schema: GraphQLSchema
    /// The usages found, in document order.
    private(set) var usages: [VariableUsage] = []

    /// Creates a finder.
    init(schema: GraphQLSchema) { self.schema = schema }

    /// Collects the usages of an operation or fragment definition (other definitions have none).
    mutating func find(in definition: DefinitionNode) {
        switch definition {
        case .operation(let operation):
            let type: TypeReference? = schema.rootType(for: operation.operation).map { .named($0.name) }
            directives(operation.directives, fieldDef: nil)
            selectionSet(operation.selectionSet, type: type, fieldDef: nil)
        case .fragment(let fragment):
            let type = typeFromAST(schema, .named(fragment.typeCondition)).flatMap { isOutputType($0) ? $0 : nil }
            directives(fragment.directives, fieldDef: nil)
            selectionSet(fragment.selectionSet, type: type, fieldDef: nil)
        default:
            break
        }
    }

    /// `type` is the output type owning the selection set; `fieldDef` the field it belongs to, if any.
    private mutating func selectionSet(_ set: SelectionSetNode, type: TypeReference?, fieldDef: GraphQLField?) {
        let named = type.flatMap { schema.namedType(of: $0) }
        let parentType = named?.isCompositeType == true ? named : nil
        for selection in set.selections {
            switch selection {
            case .field(let field):
                let definition = parentType.flatMap { TypeInfo.fieldDefinition(schema, $0, field.name.value) }
                for argument in field.arguments { self.argument(argument, directive: nil, fieldDef: definition) }
                directives(field.directives, fieldDef: definition)
                if let subSet = field.selectionSet {
                    let fieldType = definition.flatMap { isOutputType($0.type) ? $0.type : nil }
                    selectionSet(subSet, type: fieldType, fieldDef: definition)
                }
            case .fragmentSpread(let spread):
                directives(spread.directives, fieldDef: fieldDef)
            case .inlineFragment(let fragment):
                let conditionType: TypeReference?
                if let typeCondition = fragment.typeCondition {
                    conditionType = typeFromAST(schema, .named(typeCondition))
                } else {
                    conditionType = type.map { .named($0.namedType) }
                }
                directives(fragment.directives, fieldDef: fieldDef)
                selectionSet(
                    fragment.selectionSet, type: conditionType.flatMap { isOutputType($0) ? $0 : nil },
                    fieldDef: fieldDef)
            }
        }
    }

    private mutating func directives(_ nodes: [DirectiveNode], fieldDef: GraphQLField?) {
        for node in nodes where !node.arguments.isEmpty {
            let directive = schema.directive(named: node.name.value)
            for argument in node.arguments { self.argument(argument, directive: directive, fieldDef: fieldDef) }
        }
    }

    /// As `TypeInfo.enter(argument:)`: a directive's argument when inside a known directive, else the field's.
    private mutating func argument(_ node: ArgumentNode, directive: GraphQLDirective?, fieldDef: GraphQLField?) {
        let definition: GraphQLArgument?
        if let directive {
            definition = directive.argument(named: node.name.value)
        } else if let fieldDef {
            definition = fieldDef.argument(named: node.name.value)
        } else {
            definition = nil
        }
        value(
            node.value, type: definition.flatMap { isInputType($0.type) ? $0.type : nil },
            defaultValue: definition?.defaultValue)
    }

    private mutating func value(_ node: ValueNode, type: TypeReference?, defaultValue: Value?) {
        switch node {
        case .variable(let variable):
            usages.append(VariableUsage(node: variable, type: type, defaultValue: defaultValue))
        case .list(let list):
            let listType = type?.nullable
            let itemType: TypeReference?
            if case .list(let inner)? = listType {
                itemType = inner
            } else {
                itemType = listType
            }
            let elementType = itemType.flatMap { isInputType($0) ? $0 : nil }
            for element in list.values { value(element, type: elementType, defaultValue: nil) }
        case .object(let object):
            let named = type.flatMap { schema.namedType(of: $0) }
            for field in object.fields {
                var inputField: GraphQLInputField?
                if case .inputObject(let objectType)? = named { inputField = objectType.fields[field.name.value] }
                value(
                    field.value, type: inputField.flatMap { isInputType($0.type) ? $0.type : nil },
                    defaultValue: inputField?.defaultValue)
            }
        default:
            break
        }
    }

    private func isOutputType(_ type: TypeReference) -> Bool { schema.namedType(of: type)?.isOutputType ?? false }
    private func isInputType(_ type: TypeReference) -> Bool { schema.namedType(of: type)?.isInputType ?? false }
}
