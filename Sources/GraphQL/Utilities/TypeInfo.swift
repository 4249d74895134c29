/// Tracks the schema types in scope while walking a document (graphql-js `TypeInfo`): the parent composite
/// type, the current field definition and output type, the expected input type, the argument and directive
/// being visited, and so on. Keep it in step with a walk by wrapping a visitor in `TypeInfoVisitor`.
///
/// A class so that the visitor being driven can hold a reference and read it in its callbacks; it is meant
/// for one walk on one task.
public final class TypeInfo {
    /// The schema types are looked up in.
    public let schema: GraphQLSchema
    @exclusivity(unchecked) private var typeStack: [TypeReference?] = []
    @exclusivity(unchecked) private var parentTypeStack: [GraphQLNamedType?] = []
    @exclusivity(unchecked) private var inputTypeStack: [TypeReference?] = []
    @exclusivity(unchecked) private var fieldDefStack: [GraphQLField?] = []
    @exclusivity(unchecked) private var defaultValueStack: [Value?] = []
    /// The directive being visited.
    public private(set) var directive: GraphQLDirective?
    /// The argument definition being visited.
    public private(set) var argument: GraphQLArgument?
    /// The enum value definition being visited.
    public private(set) var enumValue: GraphQLEnumValue?

    /// Creates type info; `initialType` seeds the stacks when walking a fragment of a document.
    public init(schema: GraphQLSchema, initialType: TypeReference? = nil) {
        self.schema = schema
        if let initialType, let named = schema.namedType(of: initialType) {
            if named.isInputType { inputTypeStack.append(initialType) }
            if named.isCompositeType { parentTypeStack.append(named) }
            if named.isOutputType { typeStack.append(initialType) }
        }
    }

    /// The output type of the current field (or operation root / fragment type condition).
    public var type: TypeReference? { typeStack.last ?? nil }
    /// The composite type whose selection set is being visited.
    public var parentType: GraphQLNamedType? { parentTypeStack.last ?? nil }
    /// The input type expected at the current argument, list item or object field.
    public var inputType: TypeReference? { inputTypeStack.last ?? nil }
    /// The input type enclosing the current one.
    public var parentInputType: TypeReference? {
        inputTypeStack.count > 1 ? inputTypeStack[inputTypeStack.count - 2] : nil
    }
    /// The definition of the current field.
    public var fieldDef: GraphQLField? { fieldDefStack.last ?? nil }
    /// The default value of the current argument or input field.
    public var defaultValue: Value? { defaultValueStack.last ?? nil }

    // MARK: Enter and leave

    /// Before visiting a selection set.
    public func enter(selectionSet: SelectionSetNode) {
        let named = type.flatMap { schema.namedType(of: $0) }
        parentTypeStack.append(named?.isCompositeType == true ? named : nil)
    }

    /// After visiting a selection set.
    public func leave(selectionSet: SelectionSetNode) { parentTypeStack.removeLast() }

    /// Before visiting a field.
    public func enter(field: FieldNode) {
        var fieldDef: GraphQLField?
        if let parentType {
            fieldDef = Self.fieldDefinition(schema, parentType, field.name.value)
        }
        fieldDefStack.append(fieldDef)
        typeStack.append(fieldDef.flatMap { isOutputType($0.type) ? $0.type : nil })
    }

    /// After visiting a field.
    public func leave(field: FieldNode) {
        fieldDefStack.removeLast()
        typeStack.removeLast()
    }

    /// Before visiting a directive.
    public func enter(directive: DirectiveNode) { self.directive = schema.directive(named: directive.name.value) }

    /// After visiting a directive.
    public func leave(directive: DirectiveNode) { self.directive = nil }

    /// Before visiting an operation.
    public func enter(operationDefinition: OperationDefinitionNode) {
        typeStack.append(schema.rootType(for: operationDefinition.operation).map { .named($0.name) })
    }

    /// After visiting an operation.
    public func leave(operationDefinition: OperationDefinitionNode) { typeStack.removeLast() }

    /// Before visiting an inline fragment.
    public func enter(inlineFragment: InlineFragmentNode) {
        enterTypeCondition(inlineFragment.typeCondition)
    }

    /// After visiting an inline fragment.
    public func leave(inlineFragment: InlineFragmentNode) { typeStack.removeLast() }

    /// Before visiting a fragment definition.
    public func enter(fragmentDefinition: FragmentDefinitionNode) {
        enterTypeCondition(fragmentDefinition.typeCondition)
    }

    /// After visiting a fragment definition.
    public func leave(fragmentDefinition: FragmentDefinitionNode) { typeStack.removeLast() }

    private func enterTypeCondition(_ typeCondition: NamedTypeNode?) {
        let outputType: TypeReference?
        if let typeCondition {
            outputType = typeFromAST(schema, .named(typeCondition))
        } else {
            outputType = type.map { .named($0.namedType) }
        }
        typeStack.append(outputType.flatMap { isOutputType($0) ? $0 : nil })
    }

    /// Before visiting a variable definition.
    public func enter(variableDefinition: VariableDefinitionNode) {
        let inputType = typeFromAST(schema, variableDefinition.type)
        inputTypeStack.append(inputType.flatMap { isInputType($0) ? $0 : nil })
    }

    /// After visiting a variable definition.
    public func leave(variableDefinition: VariableDefinitionNode) { inputTypeStack.removeLast() }

    /// Before visiting an argument of a field or directive.
    public func enter(argument: ArgumentNode) {
        let definition: GraphQLArgument?
        if let directive {
            definition = directive.argument(named: argument.name.value)
        } else if let fieldDef {
            definition = fieldDef.argument(named: argument.name.value)
        } else {
            definition = nil
        }
        self.argument = definition
        defaultValueStack.append(definition?.defaultValue)
        inputTypeStack.append(definition.flatMap { isInputType($0.type) ? $0.type : nil })
    }

    /// After visiting an argument.
    public func leave(argument: ArgumentNode) {
        self.argument = nil
        defaultValueStack.removeLast()
        inputTypeStack.removeLast()
    }

    /// Before visiting a value literal (lists push their item type; enum values are looked up).
    public func enter(value: ValueNode) {
        switch value {
        case .list:
            let listType = inputType?.nullable
            let itemType: TypeReference?
            if case .list(let inner)? = listType {
                itemType = inner
            } else {
                itemType = listType
            }
            defaultValueStack.append(nil)
            inputTypeStack.append(itemType.flatMap { isInputType($0) ? $0 : nil })
        case .enumValue(let node):
            if let inputType, case .enumType(let enumType)? = schema.namedType(of: inputType) {
                enumValue = enumType.value(named: node.value)
            } else {
                enumValue = nil
            }
        default:
            break
        }
    }

    /// After visiting a value literal.
    public func leave(value: ValueNode) {
        switch value {
        case .list:
            defaultValueStack.removeLast()
            inputTypeStack.removeLast()
        case .enumValue:
            enumValue = nil
        default:
            break
        }
    }

    /// Before visiting a field of an object literal.
    public func enter(objectField: ObjectFieldNode) {
        var inputField: GraphQLInputField?
        if let inputType, case .inputObject(let objectType)? = schema.namedType(of: inputType) {
            inputField = objectType.fields[objectField.name.value]
        }
        defaultValueStack.append(inputField?.defaultValue)
        inputTypeStack.append(inputField.flatMap { isInputType($0.type) ? $0.type : nil })
    }

    /// After visiting a field of an object literal.
    public func leave(objectField: ObjectFieldNode) {
        defaultValueStack.removeLast()
        inputTypeStack.removeLast()
    }

    // MARK: Helpers

    /// The definition of field `name` on `parentType`, including the introspection meta-fields
    /// (graphql-js `getFieldDef`).
    public static func fieldDefinition(_ schema: GraphQLSchema, _ parentType: GraphQLNamedType, _ name: String)
        -> GraphQLField?
    {
        if name == "__schema" || name == "__type" {
            if let query = schema.queryType, case .object(let object) = parentType, object === query {
                return name == "__schema" ? Introspection.schemaMetaField : Introspection.typeMetaField
            }
        }
        if name == "__typename" && parentType.isCompositeType {
            return Introspection.typeNameMetaField
        }
        return parentType.fields?[name]
    }

    private func isOutputType(_ type: TypeReference) -> Bool {
        schema.namedType(of: type)?.isOutputType ?? false
    }

    private func isInputType(_ type: TypeReference) -> Bool {
        schema.namedType(of: type)?.isInputType ?? false
    }
}

/// Drives a visitor while keeping a `TypeInfo` in step (graphql-js `visitWithTypeInfo`): type info is entered
/// before the visitor's `enter` and left after its `leave`; skipped nodes are left at once.
public struct TypeInfoVisitor<Base: ASTVisitor>: ASTVisitor {
    /// The type info being updated.
    public let typeInfo: TypeInfo
    /// The wrapped visitor; read it back after the walk.
    public var base: Base

    /// Wraps `base`.
    public init(typeInfo: TypeInfo, base: Base) {
        self.typeInfo = typeInfo
        self.base = base
    }

    /// Enters the operation.
    public mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
        typeInfo.enter(operationDefinition: operationDefinition)
        let action = base.enter(operationDefinition: operationDefinition)
        if action != .continue { typeInfo.leave(operationDefinition: operationDefinition) }
        return action
    }

    /// Leaves the operation.
    public mutating func leave(operationDefinition: OperationDefinitionNode) {
        base.leave(operationDefinition: operationDefinition)
        typeInfo.leave(operationDefinition: operationDefinition)
    }

    /// Enters the document.
    public mutating func enter(document: DocumentNode) -> VisitAction { base.enter(document: document) }
    /// Leaves the document.
    public mutating func leave(document: DocumentNode) { base.leave(document: document) }

    /// Enters the fragment definition.
    public mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction {
        typeInfo.enter(fragmentDefinition: fragmentDefinition)
        let action = base.enter(fragmentDefinition: fragmentDefinition)
        if action != .continue { typeInfo.leave(fragmentDefinition: fragmentDefinition) }
        return action
    }

    /// Leaves the fragment definition.
    public mutating func leave(fragmentDefinition: FragmentDefinitionNode) {
        base.leave(fragmentDefinition: fragmentDefinition)
        typeInfo.leave(fragmentDefinition: fragmentDefinition)
    }

    /// Enters the variable definition.
    public mutating func enter(variableDefinition: VariableDefinitionNode) -> VisitAction {
        typeInfo.enter(variableDefinition: variableDefinition)
        let action = base.enter(variableDefinition: variableDefinition)
        if action != .continue { typeInfo.leave(variableDefinition: variableDefinition) }
        return action
    }

    /// Leaves the variable definition.
    public mutating func leave(variableDefinition: VariableDefinitionNode) {
        base.leave(variableDefinition: variableDefinition)
        typeInfo.leave(variableDefinition: variableDefinition)
    }

    /// Enters the selection set.
    public mutating func enter(selectionSet: SelectionSetNode) -> VisitAction {
        typeInfo.enter(selectionSet: selectionSet)
        let action = base.enter(selectionSet: selectionSet)
        if action != .continue { typeInfo.leave(selectionSet: selectionSet) }
        return action
    }

    /// Leaves the selection set.
    public mutating func leave(selectionSet: SelectionSetNode) {
        base.leave(selectionSet: selectionSet)
        typeInfo.leave(selectionSet: selectionSet)
    }

    /// Enters the field.
    public mutating func enter(field: FieldNode) -> VisitAction {
        typeInfo.enter(field: field)
        let action = base.enter(field: field)
        if action != .continue { typeInfo.leave(field: field) }
        return action
    }

    /// Leaves the field.
    public mutating func leave(field: FieldNode) {
        base.leave(field: field)
        typeInfo.leave(field: field)
    }

    /// Enters the fragment spread.
    public mutating func enter(fragmentSpread: FragmentSpreadNode) -> VisitAction {
        base.enter(fragmentSpread: fragmentSpread)
    }

    /// Leaves the fragment spread.
    public mutating func leave(fragmentSpread: FragmentSpreadNode) { base.leave(fragmentSpread: fragmentSpread) }

    /// Enters the inline fragment.
    public mutating func enter(inlineFragment: InlineFragmentNode) -> VisitAction {
        typeInfo.enter(inlineFragment: inlineFragment)
        let action = base.enter(inlineFragment: inlineFragment)
        if action != .continue { typeInfo.leave(inlineFragment: inlineFragment) }
        return action
    }

    /// Leaves the inline fragment.
    public mutating func leave(inlineFragment: InlineFragmentNode) {
        base.leave(inlineFragment: inlineFragment)
        typeInfo.leave(inlineFragment: inlineFragment)
    }

    /// Enters the argument.
    public mutating func enter(argument: ArgumentNode) -> VisitAction {
        typeInfo.enter(argument: argument)
        let action = base.enter(argument: argument)
        if action != .continue { typeInfo.leave(argument: argument) }
        return action
    }

    /// Leaves the argument.
    public mutating func leave(argument: ArgumentNode) {
        base.leave(argument: argument)
        typeInfo.leave(argument: argument)
    }

    /// Enters the directive.
    public mutating func enter(directive: DirectiveNode, location: DirectiveLocation) -> VisitAction {
        typeInfo.enter(directive: directive)
        let action = base.enter(directive: directive, location: location)
        if action != .continue { typeInfo.leave(directive: directive) }
        return action
    }

    /// Leaves the directive.
    public mutating func leave(directive: DirectiveNode, location: DirectiveLocation) {
        base.leave(directive: directive, location: location)
        typeInfo.leave(directive: directive)
    }

    /// Enters the value.
    public mutating func enter(value: ValueNode) -> VisitAction {
        typeInfo.enter(value: value)
        let action = base.enter(value: value)
        if action != .continue { typeInfo.leave(value: value) }
        return action
    }

    /// Leaves the value.
    public mutating func leave(value: ValueNode) {
        base.leave(value: value)
        typeInfo.leave(value: value)
    }

    /// Enters the object field.
    public mutating func enter(objectField: ObjectFieldNode) -> VisitAction {
        typeInfo.enter(objectField: objectField)
        let action = base.enter(objectField: objectField)
        if action != .continue { typeInfo.leave(objectField: objectField) }
        return action
    }

    /// Leaves the object field.
    public mutating func leave(objectField: ObjectFieldNode) {
        base.leave(objectField: objectField)
        typeInfo.leave(objectField: objectField)
    }

    /// Enters the named type.
    public mutating func enter(namedType: NamedTypeNode) -> VisitAction { base.enter(namedType: namedType) }
    /// Leaves the named type.
    public mutating func leave(namedType: NamedTypeNode) { base.leave(namedType: namedType) }

    /// Enters the type system definition.
    public mutating func enter(typeSystemDefinition: DefinitionNode) -> VisitAction {
        base.enter(typeSystemDefinition: typeSystemDefinition)
    }

    /// Leaves the type system definition.
    public mutating func leave(typeSystemDefinition: DefinitionNode) {
        base.leave(typeSystemDefinition: typeSystemDefinition)
    }
}
