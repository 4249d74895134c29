/// What a visitor wants after entering a node.
public enum VisitAction: Sendable, Hashable {
    /// Visit the node's children, then call `leave`.
    case `continue`
    /// Skip the node's children; `leave` is not called for it (graphql-js: returning `false`).
    case skipChildren
    /// Stop the whole traversal (graphql-js: returning `BREAK`).
    case stop
}

/// Callbacks for a depth-first walk of executable documents, in graphql-js key order.
///
/// Every method has a default that does nothing and continues, so a visitor implements only what it needs.
/// Walk with `visit(_:_:)`; wrap in `TypeInfoVisitor` to have a `TypeInfo` kept in step (graphql-js
/// `visitWithTypeInfo`). Variable references are reported through `enter(value:)` as `.variable`.
public protocol ASTVisitor {
    /// Entering the document.
    mutating func enter(document: DocumentNode) -> VisitAction
    /// Leaving the document.
    mutating func leave(document: DocumentNode)
    /// Entering an operation.
    mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction
    /// Leaving an operation.
    mutating func leave(operationDefinition: OperationDefinitionNode)
    /// Entering a fragment definition.
    mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction
    /// Leaving a fragment definition.
    mutating func leave(fragmentDefinition: FragmentDefinitionNode)
    /// Entering a variable definition (its type, default value and directives follow).
    mutating func enter(variableDefinition: VariableDefinitionNode) -> VisitAction
    /// Leaving a variable definition.
    mutating func leave(variableDefinition: VariableDefinitionNode)
    /// Entering a selection set.
    mutating func enter(selectionSet: SelectionSetNode) -> VisitAction
    /// Leaving a selection set.
    mutating func leave(selectionSet: SelectionSetNode)
    /// Entering a field (arguments, directives, then sub-selections follow).
    mutating func enter(field: FieldNode) -> VisitAction
    /// Leaving a field.
    mutating func leave(field: FieldNode)
    /// Entering a fragment spread.
    mutating func enter(fragmentSpread: FragmentSpreadNode) -> VisitAction
    /// Leaving a fragment spread.
    mutating func leave(fragmentSpread: FragmentSpreadNode)
    /// Entering an inline fragment.
    mutating func enter(inlineFragment: InlineFragmentNode) -> VisitAction
    /// Leaving an inline fragment.
    mutating func leave(inlineFragment: InlineFragmentNode)
    /// Entering an argument of a field or directive.
    mutating func enter(argument: ArgumentNode) -> VisitAction
    /// Leaving an argument.
    mutating func leave(argument: ArgumentNode)
    /// Entering a directive; `location` says where it is applied.
    mutating func enter(directive: DirectiveNode, location: DirectiveLocation) -> VisitAction
    /// Leaving a directive.
    mutating func leave(directive: DirectiveNode, location: DirectiveLocation)
    /// Entering any value literal, including variables, lists and objects.
    mutating func enter(value: ValueNode) -> VisitAction
    /// Leaving a value literal.
    mutating func leave(value: ValueNode)
    /// Entering a field of an object literal.
    mutating func enter(objectField: ObjectFieldNode) -> VisitAction
    /// Leaving a field of an object literal.
    mutating func leave(objectField: ObjectFieldNode)
    /// Entering a named type: type conditions and the innermost type of variable definitions.
    mutating func enter(namedType: NamedTypeNode) -> VisitAction
    /// Leaving a named type.
    mutating func leave(namedType: NamedTypeNode)
    /// A type system definition or extension; its insides are not walked.
    mutating func enter(typeSystemDefinition: DefinitionNode) -> VisitAction
    /// Leaving a type system definition or extension.
    mutating func leave(typeSystemDefinition: DefinitionNode)
}

extension ASTVisitor {
    /// Continues.
    public mutating func enter(document: DocumentNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(document: DocumentNode) {}
    /// Continues.
    public mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(operationDefinition: OperationDefinitionNode) {}
    /// Continues.
    public mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(fragmentDefinition: FragmentDefinitionNode) {}
    /// Continues.
    public mutating func enter(variableDefinition: VariableDefinitionNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(variableDefinition: VariableDefinitionNode) {}
    /// Continues.
    public mutating func enter(selectionSet: SelectionSetNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(selectionSet: SelectionSetNode) {}
    /// Continues.
    public mutating func enter(field: FieldNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(field: FieldNode) {}
    /// Continues.
    public mutating func enter(fragmentSpread: FragmentSpreadNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(fragmentSpread: FragmentSpreadNode) {}
    /// Continues.
    public mutating func enter(inlineFragment: InlineFragmentNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(inlineFragment: InlineFragmentNode) {}
    /// Continues.
    public mutating func enter(argument: ArgumentNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(argument: ArgumentNode) {}
    /// Continues.
    public mutating func enter(directive: DirectiveNode, location: DirectiveLocation) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(directive: DirectiveNode, location: DirectiveLocation) {}
    /// Continues.
    public mutating func enter(value: ValueNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(value: ValueNode) {}
    /// Continues.
    public mutating func enter(objectField: ObjectFieldNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(objectField: ObjectFieldNode) {}
    /// Continues.
    public mutating func enter(namedType: NamedTypeNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(namedType: NamedTypeNode) {}
    /// Continues.
    public mutating func enter(typeSystemDefinition: DefinitionNode) -> VisitAction { .continue }
    /// Does nothing.
    public mutating func leave(typeSystemDefinition: DefinitionNode) {}
}

/// Walks `document` depth-first, calling `visitor`. Returns false if the visitor stopped the walk.
@discardableResult
public func visit<V: ASTVisitor>(_ document: DocumentNode, _ visitor: inout V) -> Bool {
    ASTWalker.document(document, &visitor)
}

/// Walks one definition. Returns false if the visitor stopped the walk.
@discardableResult
public func visit<V: ASTVisitor>(_ definition: DefinitionNode, _ visitor: inout V) -> Bool {
    ASTWalker.definition(definition, &visitor)
}

/// Walks a selection set and everything below it. Returns false if the visitor stopped the walk.
@discardableResult
public func visit<V: ASTVisitor>(_ selectionSet: SelectionSetNode, _ visitor: inout V) -> Bool {
    ASTWalker.selectionSet(selectionSet, &visitor)
}

/// Walks a value literal. Returns false if the visitor stopped the walk.
@discardableResult
public func visit<V: ASTVisitor>(_ value: ValueNode, _ visitor: inout V) -> Bool {
    ASTWalker.value(value, &visitor)
}

/// The traversal itself; each function returns false once the visitor asked to stop.
enum ASTWalker {
    static func document<V: ASTVisitor>(_ node: DocumentNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(document: node) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        for definition in node.definitions where !self.definition(definition, &visitor) { return false }
        visitor.leave(document: node)
        return true
    }

    static func definition<V: ASTVisitor>(_ node: DefinitionNode, _ visitor: inout V) -> Bool {
        switch node {
        case .operation(let operation):
            return operationDefinition(operation, &visitor)
        case .fragment(let fragment):
            return fragmentDefinition(fragment, &visitor)
        case .schema, .type, .directive, .schemaExtension, .typeExtension:
            switch visitor.enter(typeSystemDefinition: node) {
            case .stop: return false
            case .skipChildren: return true
            case .continue: break
            }
            visitor.leave(typeSystemDefinition: node)
            return true
        }
    }

    static func operationDefinition<V: ASTVisitor>(_ node: OperationDefinitionNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(operationDefinition: node) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        for definition in node.variableDefinitions where !variableDefinition(definition, &visitor) { return false }
        let location = DirectiveLocation(operation: node.operation)
        guard directives(node.directives, location, &visitor), selectionSet(node.selectionSet, &visitor) else {
            return false
        }
        visitor.leave(operationDefinition: node)
        return true
    }

    static func variableDefinition<V: ASTVisitor>(_ node: VariableDefinitionNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(variableDefinition: node) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        guard namedType(node.type.namedType, &visitor) else { return false }
        if let defaultValue = node.defaultValue, !value(defaultValue, &visitor) { return false }
        guard directives(node.directives, .variableDefinition, &visitor) else { return false }
        visitor.leave(variableDefinition: node)
        return true
    }

    static func fragmentDefinition<V: ASTVisitor>(_ node: FragmentDefinitionNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(fragmentDefinition: node) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        guard namedType(node.typeCondition, &visitor), directives(node.directives, .fragmentDefinition, &visitor),
            selectionSet(node.selectionSet, &visitor)
        else { return false }
        visitor.leave(fragmentDefinition: node)
        return true
    }

    static func selectionSet<V: ASTVisitor>(_ node: SelectionSetNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(selectionSet: node) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        for selection in node.selections {
            let keepGoing: Bool
            switch selection {
            case .field(let field): keepGoing = self.field(field, &visitor)
            case .fragmentSpread(let spread): keepGoing = fragmentSpread(spread, &visitor)
            case .inlineFragment(let fragment): keepGoing = inlineFragment(fragment, &visitor)
            }
            if !keepGoing { return false }
        }
        visitor.leave(selectionSet: node)
        return true
    }

    static func field<V: ASTVisitor>(_ node: FieldNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(field: node) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        for argument in node.arguments where !self.argument(argument, &visitor) { return false }
        guard directives(node.directives, .field, &visitor) else { return false }
        if let selectionSet = node.selectionSet, !self.selectionSet(selectionSet, &visitor) { return false }
        visitor.leave(field: node)
        return true
    }

    static func fragmentSpread<V: ASTVisitor>(_ node: FragmentSpreadNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(fragmentSpread: node) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        guard directives(node.directives, .fragmentSpread, &visitor) else { return false }
        visitor.leave(fragmentSpread: node)
        return true
    }

    static func inlineFragment<V: ASTVisitor>(_ node: InlineFragmentNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(inlineFragment: node) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        if let typeCondition = node.typeCondition, !namedType(typeCondition, &visitor) { return false }
        guard directives(node.directives, .inlineFragment, &visitor), selectionSet(node.selectionSet, &visitor) else {
            return false
        }
        visitor.leave(inlineFragment: node)
        return true
    }

    static func argument<V: ASTVisitor>(_ node: ArgumentNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(argument: node) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        guard value(node.value, &visitor) else { return false }
        visitor.leave(argument: node)
        return true
    }

    static func directives<V: ASTVisitor>(
        _ nodes: [DirectiveNode], _ location: DirectiveLocation, _ visitor: inout V
    ) -> Bool {
        for node in nodes {
            switch visitor.enter(directive: node, location: location) {
            case .stop: return false
            case .skipChildren: continue
            case .continue: break
            }
            for argument in node.arguments where !self.argument(argument, &visitor) { return false }
            visitor.leave(directive: node, location: location)
        }
        return true
    }

    static func value<V: ASTVisitor>(_ node: ValueNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(value: node) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        switch node {
        case .list(let list):
            for element in list.values where !value(element, &visitor) { return false }
        case .object(let object):
            for field in object.fields {
                switch visitor.enter(objectField: field) {
                case .stop: return false
                case .skipChildren: continue
                case .continue: break
                }
                guard value(field.value, &visitor) else { return false }
                visitor.leave(objectField: field)
            }
        default:
            break
        }
        visitor.leave(value: node)
        return true
    }

    static func namedType<V: ASTVisitor>(_ node: NamedTypeNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(namedType: node) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        visitor.leave(namedType: node)
        return true
    }
}
