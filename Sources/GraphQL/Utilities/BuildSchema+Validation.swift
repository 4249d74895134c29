/// The checks graphql-js runs on SDL before building a schema (`assertValidSDL` with `specifiedSDLRules`),
/// with the same messages: lone schema definition, unique operation types / type names / directive names /
/// fields / enum values / argument definitions, known types and directives, directive locations, unique
/// directives per location, possible type extensions, known and required directive arguments, unique
/// argument and input field names.
struct SDLValidator {
    private var errors: [GraphQLError] = []
    private var definedTypes: [String: TypeDefinitionNode] = [:]
    private var directiveDefinitions: [String: DirectiveDefinitionNode] = [:]

    static func validate(_ document: DocumentNode) -> [GraphQLError] {
        var validator = SDLValidator()
        validator.run(document)
        return validator.errors
    }

    private static let standardTypeNames: [String] =
        GraphQLScalarType.specifiedScalars.map(\.name) + Introspection.standardTypes.map(\.name)

    private static let builtInDirectives: [GraphQLDirective] = GraphQLDirective.specifiedDirectives + [.oneOf]

    private mutating func report(_ message: String, _ nodes: [any ASTNode]) {
        errors.append(GraphQLError(message, nodes: nodes))
    }

    private mutating func run(_ document: DocumentNode) {
        for definition in document.definitions {
            switch definition {
            case .type(let node): if definedTypes[node.name.value] == nil { definedTypes[node.name.value] = node }
            case .directive(let node):
                if directiveDefinitions[node.name.value] == nil { directiveDefinitions[node.name.value] = node }
            default: break
            }
        }
        var schemaDefinitionSeen = false
        var operationTypes: [OperationType: OperationTypeDefinitionNode] = [:]
        var typeNames: [String: NameNode] = [:]
        var directiveNames: [String: NameNode] = [:]
        var fieldNames: [String: [String: NameNode]] = [:]
        var enumValueNames: [String: [String: NameNode]] = [:]
        var directivesByTypeName: [String: [String: DirectiveNode]] = [:]
        var schemaDirectives: [String: DirectiveNode] = [:]

        for definition in document.definitions {
            switch definition {
            case .schema(let node):
                if schemaDefinitionSeen { report("Must provide only one schema definition.", [node]) }
                schemaDefinitionSeen = true
                checkDirectives(node.directives, .schema, seen: &schemaDirectives)
                checkOperationTypes(node.operationTypes, &operationTypes)
            case .schemaExtension(let node):
                checkDirectives(node.directives, .schema, seen: &schemaDirectives)
                checkOperationTypes(node.operationTypes, &operationTypes)
            case .directive(let node):
                if let first = directiveNames[node.name.value] {
                    report("There can be only one directive named \"@\(node.name.value)\".", [first, node.name])
                } else {
                    directiveNames[node.name.value] = node.name
                }
                checkArgumentDefinitions(node.arguments, parent: "@\(node.name.value)")
            case .type(let node):
                let name = node.name.value
                if let first = typeNames[name] {
                    report("There can be only one type named \"\(name)\".", [first, node.name])
                } else {
                    typeNames[name] = node.name
                }
                checkType(
                    .definition(node), fieldNames: &fieldNames[name, default: [:]],
                    enumValueNames: &enumValueNames[name, default: [:]],
                    seenDirectives: &directivesByTypeName[name, default: [:]])
            case .typeExtension(let node):
                let name = node.name.value
                checkExtensionTarget(node)
                checkType(
                    .extension(node), fieldNames: &fieldNames[name, default: [:]],
                    enumValueNames: &enumValueNames[name, default: [:]],
                    seenDirectives: &directivesByTypeName[name, default: [:]])
            case .operation, .fragment:
                break
            }
        }
    }

    private mutating func checkOperationTypes(
        _ nodes: [OperationTypeDefinitionNode], _ seen: inout [OperationType: OperationTypeDefinitionNode]
    ) {
        for node in nodes {
            checkNamedType(node.type)
            if let existing = seen[node.operation] {
                report("There can be only one \(node.operation.rawValue) type in schema.", [existing, node])
            } else {
                seen[node.operation] = node
            }
        }
    }

    private enum TypeNodeKind {
        case definition(TypeDefinitionNode)
        case `extension`(TypeExtensionNode)
    }

    private mutating func checkType(
        _ kind: TypeNodeKind, fieldNames: inout [String: NameNode], enumValueNames: inout [String: NameNode],
        seenDirectives: inout [String: DirectiveNode]
    ) {
        let typeName: String
        var directives: [DirectiveNode]
        var location: DirectiveLocation
        var interfaces: [NamedTypeNode] = []
        var fields: [FieldDefinitionNode] = []
        var inputFields: [InputValueDefinitionNode] = []
        var enumValues: [EnumValueDefinitionNode] = []
        var members: [NamedTypeNode] = []
        switch kind {
        case .definition(let node):
            typeName = node.name.value
            directives = node.directives
            switch node {
            case .scalar: location = .scalar
            case .object(let object): (location, interfaces, fields) = (.object, object.interfaces, object.fields)
            case .interface(let interface):
                (location, interfaces, fields) = (.interface, interface.interfaces, interface.fields)
            case .union(let union): (location, members) = (.union, union.types)
            case .enumType(let enumType): (location, enumValues) = (.enumType, enumType.values)
            case .inputObject(let input): (location, inputFields) = (.inputObject, input.fields)
            }
        case .extension(let node):
            typeName = node.name.value
            directives = node.directives
            switch node {
            case .scalar: location = .scalar
            case .object(let object): (location, interfaces, fields) = (.object, object.interfaces, object.fields)
            case .interface(let interface):
                (location, interfaces, fields) = (.interface, interface.interfaces, interface.fields)
            case .union(let union): (location, members) = (.union, union.types)
            case .enumType(let enumType): (location, enumValues) = (.enumType, enumType.values)
            case .inputObject(let input): (location, inputFields) = (.inputObject, input.fields)
            }
        }
        checkDirectives(directives, location, seen: &seenDirectives)
        for node in interfaces + members { checkNamedType(node) }
        for field in fields {
            if let first = fieldNames[field.name.value] {
                report("Field \"\(typeName).\(field.name.value)\" can only be defined once.", [first, field.name])
            } else {
                fieldNames[field.name.value] = field.name
            }
            checkArgumentDefinitions(field.arguments, parent: "\(typeName).\(field.name.value)")
            checkNamedType(field.type.namedType)
            var seen: [String: DirectiveNode] = [:]
            checkDirectives(field.directives, .fieldDefinition, seen: &seen)
        }
        for field in inputFields {
            if let first = fieldNames[field.name.value] {
                report("Field \"\(typeName).\(field.name.value)\" can only be defined once.", [first, field.name])
            } else {
                fieldNames[field.name.value] = field.name
            }
            checkInputValue(field, .inputFieldDefinition)
        }
        for value in enumValues {
            if let first = enumValueNames[value.name.value] {
                report("Enum value \"\(typeName).\(value.name.value)\" can only be defined once.", [first, value.name])
            } else {
                enumValueNames[value.name.value] = value.name
            }
            var seen: [String: DirectiveNode] = [:]
            checkDirectives(value.directives, .enumValue, seen: &seen)
        }
    }

    private mutating func checkArgumentDefinitions(_ arguments: [InputValueDefinitionNode], parent: String) {
        var grouped: [String: [NameNode]] = [:]
        var order: [String] = []
        for argument in arguments {
            if grouped[argument.name.value] == nil { order.append(argument.name.value) }
            grouped[argument.name.value, default: []].append(argument.name)
        }
        for name in order where grouped[name]!.count > 1 {
            report("Argument \"\(parent)(\(name):)\" can only be defined once.", grouped[name]!)
        }
        for argument in arguments { checkInputValue(argument, .argumentDefinition) }
    }

    private mutating func checkInputValue(_ node: InputValueDefinitionNode, _ location: DirectiveLocation) {
        checkNamedType(node.type.namedType)
        if let defaultValue = node.defaultValue { checkValue(defaultValue) }
        var seen: [String: DirectiveNode] = [:]
        checkDirectives(node.directives, location, seen: &seen)
    }

    private mutating func checkNamedType(_ node: NamedTypeNode) {
        let name = node.name.value
        if definedTypes[name] != nil || Self.standardTypeNames.contains(name) { return }
        let suggestions = suggestionList(name, options: Self.standardTypeNames + Array(definedTypes.keys).sorted())
        report("Unknown type \"\(name)\"." + didYouMean(suggestions), [node])
    }

    private mutating func checkExtensionTarget(_ node: TypeExtensionNode) {
        let name = node.name.value
        guard let definition = definedTypes[name] else {
            let options = Array(definedTypes.keys).sorted()
            report(
                "Cannot extend type \"\(name)\" because it is not defined." + didYouMean(suggestionList(name, options: options)),
                [node.name])
            return
        }
        let expected: String?
        switch (definition, node) {
        case (.scalar, .scalar), (.object, .object), (.interface, .interface), (.union, .union),
            (.enumType, .enumType), (.inputObject, .inputObject):
            expected = nil
        case (_, .scalar): expected = "scalar"
        case (_, .object): expected = "object"
        case (_, .interface): expected = "interface"
        case (_, .union): expected = "union"
        case (_, .enumType): expected = "enum"
        case (_, .inputObject): expected = "input object"
        }
        if let expected {
            report("Cannot extend non-\(expected) type \"\(name)\".", [definition, node])
        }
    }

    private func directiveDefinition(named name: String) -> (locations: [String], args: [(String, TypeNode?, Bool)], repeatable: Bool)? {
        if let node = directiveDefinitions[name] {
            return (
                node.locations.map(\.value),
                node.arguments.map { ($0.name.value, $0.type, $0.type.isNonNullNode && $0.defaultValue == nil) },
                node.repeatable
            )
        }
        if let builtIn = Self.builtInDirectives.first(where: { $0.name == name }) {
            return (
                builtIn.locations.map(\.rawValue),
                builtIn.args.map { ($0.name, nil, $0.isRequired) },
                builtIn.isRepeatable
            )
        }
        return nil
    }

    private mutating func checkDirectives(
        _ directives: [DirectiveNode], _ location: DirectiveLocation, seen: inout [String: DirectiveNode]
    ) {
        for directive in directives {
            let name = directive.name.value
            checkArgumentNames(directive.arguments)
            guard let definition = directiveDefinition(named: name) else {
                report("Unknown directive \"@\(name)\".", [directive])
                continue
            }
            if !definition.locations.contains(location.rawValue) {
                report("Directive \"@\(name)\" may not be used on \(location.rawValue).", [directive])
            }
            if !definition.repeatable {
                if let first = seen[name] {
                    report("The directive \"@\(name)\" can only be used once at this location.", [first, directive])
                } else {
                    seen[name] = directive
                }
            }
            let knownArguments = definition.args.map(\.0)
            for argument in directive.arguments where !knownArguments.contains(argument.name.value) {
                let suggestions = suggestionList(argument.name.value, options: knownArguments)
                report(
                    "Unknown argument \"\(argument.name.value)\" on directive \"@\(name)\"." + didYouMean(suggestions),
                    [argument])
            }
            for (argumentName, typeNode, required) in definition.args
            where required && !directive.arguments.contains(where: { $0.name.value == argumentName }) {
                let typeString =
                    typeNode.map { print($0) }
                    ?? (Self.builtInDirectives.first { $0.name == name }?.argument(named: argumentName)?.type.description
                        ?? "")
                report(
                    "Directive \"@\(name)\" argument \"\(argumentName)\" of type \"\(typeString)\" is required, "
                        + "but it was not provided.",
                    [directive])
            }
        }
    }

    private mutating func checkArgumentNames(_ arguments: [ArgumentNode]) {
        var grouped: [String: [NameNode]] = [:]
        var order: [String] = []
        for argument in arguments {
            if grouped[argument.name.value] == nil { order.append(argument.name.value) }
            grouped[argument.name.value, default: []].append(argument.name)
            checkValue(argument.value)
        }
        for name in order where grouped[name]!.count > 1 {
            report("There can be only one argument named \"\(name)\".", grouped[name]!)
        }
    }

    private mutating func checkValue(_ value: ValueNode) {
        switch value {
        case .list(let list):
            for element in list.values { checkValue(element) }
        case .object(let object):
            var seen: [String: NameNode] = [:]
            for field in object.fields {
                if let first = seen[field.name.value] {
                    report("There can be only one input field named \"\(field.name.value)\".", [first, field.name])
                } else {
                    seen[field.name.value] = field.name
                }
                checkValue(field.value)
            }
        default:
            break
        }
    }
}

extension TypeNode {
    /// True for `T!`.
    var isNonNullNode: Bool {
        if case .nonNull = self { return true }
        return false
    }
}
