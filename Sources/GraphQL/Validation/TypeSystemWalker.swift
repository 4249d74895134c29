/// Walks a whole document for validation. Unlike `visit(_:_:)`, it also walks inside type system definitions
/// (which are never executable) so that rules see their named types, directives and values as graphql-js's
/// visitor does: a request holding SDL gets the same errors, and as many, as graphql-js reports.
enum ValidationWalker {
    /// Walks `document`; returns false if the visitor stopped the walk.
    @discardableResult
    static func document<V: ASTVisitor>(_ document: DocumentNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(document: document) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        for definition in document.definitions {
            let keepGoing: Bool
            switch definition {
            case .operation, .fragment: keepGoing = visit(definition, &visitor)
            default: keepGoing = typeSystemDefinition(definition, &visitor)
            }
            if !keepGoing { return false }
        }
        visitor.leave(document: document)
        return true
    }

    /// A type system definition and its contents, in graphql-js key order.
    static func typeSystemDefinition<V: ASTVisitor>(_ definition: DefinitionNode, _ visitor: inout V) -> Bool {
        switch visitor.enter(typeSystemDefinition: definition) {
        case .stop: return false
        case .skipChildren: return true
        case .continue: break
        }
        let keepGoing: Bool
        switch definition {
        case .operation, .fragment:
            keepGoing = true
        case .schema(let node):
            keepGoing =
                ASTWalker.directives(node.directives, .schema, &visitor)
                && namedTypes(node.operationTypes.map(\.type), &visitor)
        case .schemaExtension(let node):
            keepGoing =
                ASTWalker.directives(node.directives, .schema, &visitor)
                && namedTypes(node.operationTypes.map(\.type), &visitor)
        case .type(let node):
            keepGoing = typeDefinition(node, &visitor)
        case .typeExtension(let node):
            keepGoing = typeExtension(node, &visitor)
        case .directive(let node):
            keepGoing = inputValues(node.arguments, .argumentDefinition, &visitor)
        }
        guard keepGoing else { return false }
        visitor.leave(typeSystemDefinition: definition)
        return true
    }

    private static func typeDefinition<V: ASTVisitor>(_ node: TypeDefinitionNode, _ visitor: inout V) -> Bool {
        switch node {
        case .scalar(let scalar):
            return ASTWalker.directives(scalar.directives, .scalar, &visitor)
        case .object(let object):
            return namedTypes(object.interfaces, &visitor) && ASTWalker.directives(object.directives, .object, &visitor)
                && fields(object.fields, &visitor)
        case .interface(let interface):
            return namedTypes(interface.interfaces, &visitor)
                && ASTWalker.directives(interface.directives, .interface, &visitor) && fields(interface.fields, &visitor)
        case .union(let union):
            return ASTWalker.directives(union.directives, .union, &visitor) && namedTypes(union.types, &visitor)
        case .enumType(let enumType):
            return ASTWalker.directives(enumType.directives, .enumType, &visitor) && enumValues(enumType.values, &visitor)
        case .inputObject(let input):
            return ASTWalker.directives(input.directives, .inputObject, &visitor)
                && inputValues(input.fields, .inputFieldDefinition, &visitor)
        }
    }

    private static func typeExtension<V: ASTVisitor>(_ node: TypeExtensionNode, _ visitor: inout V) -> Bool {
        switch node {
        case .scalar(let scalar):
            return ASTWalker.directives(scalar.directives, .scalar, &visitor)
        case .object(let object):
            return namedTypes(object.interfaces, &visitor) && ASTWalker.directives(object.directives, .object, &visitor)
                && fields(object.fields, &visitor)
        case .interface(let interface):
            return namedTypes(interface.interfaces, &visitor)
                && ASTWalker.directives(interface.directives, .interface, &visitor) && fields(interface.fields, &visitor)
        case .union(let union):
            return ASTWalker.directives(union.directives, .union, &visitor) && namedTypes(union.types, &visitor)
        case .enumType(let enumType):
            return ASTWalker.directives(enumType.directives, .enumType, &visitor) && enumValues(enumType.values, &visitor)
        case .inputObject(let input):
            // graphql-js names the location of directives on fields of an input *extension* ARGUMENT_DEFINITION.
            return ASTWalker.directives(input.directives, .inputObject, &visitor)
                && inputValues(input.fields, .argumentDefinition, &visitor)
        }
    }

    private static func namedTypes<V: ASTVisitor>(_ nodes: [NamedTypeNode], _ visitor: inout V) -> Bool {
        for node in nodes where !ASTWalker.namedType(node, &visitor) { return false }
        return true
    }

    private static func fields<V: ASTVisitor>(_ nodes: [FieldDefinitionNode], _ visitor: inout V) -> Bool {
        for node in nodes {
            guard inputValues(node.arguments, .argumentDefinition, &visitor),
                ASTWalker.namedType(node.type.namedType, &visitor),
                ASTWalker.directives(node.directives, .fieldDefinition, &visitor)
            else { return false }
        }
        return true
    }

    private static func inputValues<V: ASTVisitor>(
        _ nodes: [InputValueDefinitionNode], _ location: DirectiveLocation, _ visitor: inout V
    ) -> Bool {
        for node in nodes {
            guard ASTWalker.namedType(node.type.namedType, &visitor) else { return false }
            if let defaultValue = node.defaultValue, !ASTWalker.value(defaultValue, &visitor) { return false }
            guard ASTWalker.directives(node.directives, location, &visitor) else { return false }
        }
        return true
    }

    private static func enumValues<V: ASTVisitor>(_ nodes: [EnumValueDefinitionNode], _ visitor: inout V) -> Bool {
        for node in nodes where !ASTWalker.directives(node.directives, .enumValue, &visitor) { return false }
        return true
    }
}
