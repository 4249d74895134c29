/// Schema validation, a port of graphql-js `type/validate.js` (plus the `@oneOf` rules of graphql-js 16.9+):
/// root types, directive definitions, then every type in type map order.
enum SchemaValidator {
    static func validate(_ schema: SchemaContents) -> [GraphQLError] {
        var context = Context(schema: schema)
        context.errors = schema.collectionErrors
        context.validateRootTypes()
        context.validateDirectives()
        context.validateTypes()
        return context.errors
    }

    struct Context {
        let schema: SchemaContents
        var errors: [GraphQLError] = []

        mutating func report(_ message: String, _ nodes: [(any ASTNode)?]) {
            errors.append(GraphQLError(message, nodes: nodes.compactMap { $0 }))
        }

        // MARK: Root types

        mutating func validateRootTypes() {
            if let query = schema.query {
                if query.asObject == nil {
                    report(
                        "Query root type must be Object type, it cannot be \(query.name).",
                        [operationTypeNode(.query) ?? query.astNode])
                }
            } else {
                report("Query root type must be provided.", [schema.astNode])
            }
            if let mutation = schema.mutation, mutation.asObject == nil {
                report(
                    "Mutation root type must be Object type if provided, it cannot be \(mutation.name).",
                    [operationTypeNode(.mutation) ?? mutation.astNode])
            }
            if let subscription = schema.subscription, subscription.asObject == nil {
                report(
                    "Subscription root type must be Object type if provided, it cannot be \(subscription.name).",
                    [operationTypeNode(.subscription) ?? subscription.astNode])
            }
        }

        func operationTypeNode(_ operation: OperationType) -> NamedTypeNode? {
            let definitions = (schema.astNode?.operationTypes ?? []) + schema.extensionASTNodes.flatMap(\.operationTypes)
            return definitions.first { $0.operation == operation }?.type
        }

        // MARK: Directives

        mutating func validateDirectives() {
            for directive in schema.directives {
                validateName(directive.name, directive.astNode)
                for argument in directive.args {
                    validateName(argument.name, argument.astNode)
                    if let type = schema.typeMap[argument.type.namedType], !type.isInputType {
                        report(
                            "The type of @\(directive.name)(\(argument.name):) must be Input Type but got: \(argument.type).",
                            [argument.astNode])
                    }
                    if argument.isRequired && argument.deprecationReason != nil {
                        report(
                            "Required argument @\(directive.name)(\(argument.name):) cannot be deprecated.",
                            [deprecatedDirective(argument.astNode?.directives), argument.astNode?.type])
                    }
                }
            }
        }

        mutating func validateName(_ name: String, _ node: (any ASTNode)?) {
            if name.hasPrefix("__") {
                report(
                    "Name \"\(name)\" must not begin with \"__\", which is reserved by GraphQL introspection.", [node])
            }
        }

        func deprecatedDirective(_ directives: [DirectiveNode]?) -> DirectiveNode? {
            directives?.first { $0.name.value == GraphQLDirective.deprecated.name }
        }

        // MARK: Types

        mutating func validateTypes() {
            var cycles = InputCycleDetector()
            for type in schema.types {
                if !type.isIntrospectionType {
                    validateName(type.name, type.astNode)
                }
                switch type {
                case .object(let object):
                    validateFields(
                        object.name, object.fields, [object.astNode] + object.extensionASTNodes.map { $0 })
                    validateInterfaces(type, object.interfaces, interfaceNodes: implementsNodes(of: type))
                case .interface(let interface):
                    validateFields(
                        interface.name, interface.fields, [interface.astNode] + interface.extensionASTNodes.map { $0 })
                    validateInterfaces(type, interface.interfaces, interfaceNodes: implementsNodes(of: type))
                case .union(let union):
                    validateUnionMembers(union)
                case .enumType(let enumType):
                    if enumType.values.isEmpty {
                        report(
                            "Enum type \(enumType.name) must define one or more values.",
                            [enumType.astNode] + enumType.extensionASTNodes.map { $0 })
                    }
                    for value in enumType.values { validateName(value.name, value.astNode) }
                case .inputObject(let input):
                    validateInputFields(input)
                    cycles.detect(input, in: schema, context: &self)
                case .scalar:
                    break
                }
            }
        }

        mutating func validateFields(_ typeName: String, _ fields: NamedMap<GraphQLField>, _ typeNodes: [(any ASTNode)?]) {
            if fields.isEmpty {
                report("Type \(typeName) must define one or more fields.", typeNodes)
            }
            for field in fields {
                validateName(field.name, field.astNode)
                if let type = schema.typeMap[field.type.namedType], !type.isOutputType {
                    report(
                        "The type of \(typeName).\(field.name) must be Output Type but got: \(field.type).",
                        [field.astNode?.type])
                }
                for argument in field.args {
                    validateName(argument.name, argument.astNode)
                    if let type = schema.typeMap[argument.type.namedType], !type.isInputType {
                        report(
                            "The type of \(typeName).\(field.name)(\(argument.name):) must be Input Type but got: "
                                + "\(argument.type).",
                            [argument.astNode?.type])
                    }
                    if argument.isRequired && argument.deprecationReason != nil {
                        report(
                            "Required argument \(typeName).\(field.name)(\(argument.name):) cannot be deprecated.",
                            [deprecatedDirective(argument.astNode?.directives), argument.astNode?.type])
                    }
                }
            }
        }

        /// The `implements` entries of a type's definition and extensions, graphql-js `getAllImplementsInterfaceNodes`.
        func implementsNodes(of type: GraphQLNamedType) -> [NamedTypeNode] {
            switch type {
            case .object(let object):
                return (object.astNode?.interfaces ?? []) + object.extensionASTNodes.flatMap(\.interfaces)
            case .interface(let interface):
                return (interface.astNode?.interfaces ?? []) + interface.extensionASTNodes.flatMap(\.interfaces)
            default:
                return []
            }
        }

        mutating func validateInterfaces(_ type: GraphQLNamedType, _ interfaceNames: [String], interfaceNodes: [NamedTypeNode]) {
            var seen = Set<String>()
            for interfaceName in interfaceNames {
                let nodes = interfaceNodes.filter { $0.name.value == interfaceName }
                guard let interfaceType = schema.typeMap[interfaceName] else { continue }
                guard case .interface(let interface) = interfaceType else {
                    report(
                        "Type \(type.name) must only implement Interface types, it cannot implement \(interfaceName).",
                        nodes)
                    continue
                }
                if type.name == interface.name {
                    report(
                        "Type \(type.name) cannot implement itself because it would create a circular reference.", nodes)
                    continue
                }
                if seen.contains(interfaceName) {
                    report("Type \(type.name) can only implement \(interfaceName) once.", nodes)
                    continue
                }
                seen.insert(interfaceName)
                validateImplementsAncestors(type, interfaceNames, interface)
                validateImplementsInterface(type, interface)
            }
        }

        mutating func validateImplementsAncestors(
            _ type: GraphQLNamedType, _ typeInterfaces: [String], _ interface: GraphQLInterfaceType
        ) {
            for transitive in interface.interfaces where !typeInterfaces.contains(transitive) {
                let message =
                    transitive == type.name
                    ? "Type \(type.name) cannot implement \(interface.name) because it would create a circular reference."
                    : "Type \(type.name) must implement \(transitive) because it is implemented by \(interface.name)."
                let nodes =
                    implementsNodes(of: .interface(interface)).filter { $0.name.value == transitive }
                    + implementsNodes(of: type).filter { $0.name.value == interface.name }
                report(message, nodes)
            }
        }

        mutating func validateImplementsInterface(_ type: GraphQLNamedType, _ interface: GraphQLInterfaceType) {
            guard let typeFields = type.fields else { return }
            let typeNodes: [(any ASTNode)?] = [type.astNode] + type.extensionASTNodes.map { $0 }
            for interfaceField in interface.fields {
                let fieldName = interfaceField.name
                guard let typeField = typeFields[fieldName] else {
                    report(
                        "Interface field \(interface.name).\(fieldName) expected but \(type.name) does not provide it.",
                        [interfaceField.astNode] + typeNodes)
                    continue
                }
                if !isTypeSubTypeOf(schema, typeField.type, interfaceField.type) {
                    report(
                        "Interface field \(interface.name).\(fieldName) expects type \(interfaceField.type) but "
                            + "\(type.name).\(fieldName) is type \(typeField.type).",
                        [interfaceField.astNode?.type, typeField.astNode?.type])
                }
                for interfaceArgument in interfaceField.args {
                    let argumentName = interfaceArgument.name
                    guard let typeArgument = typeField.argument(named: argumentName) else {
                        report(
                            "Interface field argument \(interface.name).\(fieldName)(\(argumentName):) expected but "
                                + "\(type.name).\(fieldName) does not provide it.",
                            [interfaceArgument.astNode, typeField.astNode])
                        continue
                    }
                    if interfaceArgument.type != typeArgument.type {
                        report(
                            "Interface field argument \(interface.name).\(fieldName)(\(argumentName):) expects type "
                                + "\(interfaceArgument.type) but \(type.name).\(fieldName)(\(argumentName):) is type "
                                + "\(typeArgument.type).",
                            [interfaceArgument.astNode?.type, typeArgument.astNode?.type])
                    }
                }
                for typeArgument in typeField.args
                where interfaceField.argument(named: typeArgument.name) == nil && typeArgument.isRequired {
                    report(
                        "Object field \(type.name).\(fieldName) includes required argument \(typeArgument.name) that is "
                            + "missing from the Interface field \(interface.name).\(fieldName).",
                        [typeArgument.astNode, interfaceField.astNode])
                }
            }
        }

        mutating func validateUnionMembers(_ union: GraphQLUnionType) {
            if union.types.isEmpty {
                report(
                    "Union type \(union.name) must define one or more member types.",
                    [union.astNode] + union.extensionASTNodes.map { $0 })
            }
            let memberNodes = (union.astNode?.types ?? []) + union.extensionASTNodes.flatMap(\.types)
            var included = Set<String>()
            for member in union.types {
                let nodes = memberNodes.filter { $0.name.value == member }
                if included.contains(member) {
                    report("Union type \(union.name) can only include type \(member) once.", nodes)
                    continue
                }
                included.insert(member)
                if let memberType = schema.typeMap[member], memberType.asObject == nil {
                    report(
                        "Union type \(union.name) can only include Object types, it cannot include \(member).", nodes)
                }
            }
        }

        mutating func validateInputFields(_ input: GraphQLInputObjectType) {
            if input.fields.isEmpty {
                report(
                    "Input Object type \(input.name) must define one or more fields.",
                    [input.astNode] + input.extensionASTNodes.map { $0 })
            }
            for field in input.fields {
                validateName(field.name, field.astNode)
                if let type = schema.typeMap[field.type.namedType], !type.isInputType {
                    report(
                        "The type of \(input.name).\(field.name) must be Input Type but got: \(field.type).",
                        [field.astNode?.type])
                }
                if field.isRequired && field.deprecationReason != nil {
                    report(
                        "Required input field \(input.name).\(field.name) cannot be deprecated.",
                        [deprecatedDirective(field.astNode?.directives), field.astNode?.type])
                }
                if input.isOneOf {
                    if field.type.isNonNull {
                        report("OneOf input field \(input.name).\(field.name) must be nullable.", [field.astNode?.type])
                    }
                    if field.defaultValue != nil {
                        report(
                            "OneOf input field \(input.name).\(field.name) cannot have a default value.", [field.astNode])
                    }
                }
            }
        }
    }

    /// graphql-js `createInputObjectCircularRefsValidator`: input objects may not reference themselves
    /// through a chain of non-null fields.
    struct InputCycleDetector {
        var visited = Set<String>()
        var fieldPath: [GraphQLInputField] = []
        var fieldPathIndexByTypeName: [String: Int] = [:]

        mutating func detect(_ input: GraphQLInputObjectType, in schema: SchemaContents, context: inout Context) {
            if visited.contains(input.name) { return }
            visited.insert(input.name)
            fieldPathIndexByTypeName[input.name] = fieldPath.count
            for field in input.fields {
                guard case .nonNull(.named(let fieldTypeName)) = field.type,
                    case .inputObject(let fieldType)? = schema.typeMap[fieldTypeName]
                else { continue }
                let cycleIndex = fieldPathIndexByTypeName[fieldType.name]
                fieldPath.append(field)
                if let cycleIndex {
                    let cyclePath = fieldPath[cycleIndex...]
                    let pathString = cyclePath.map(\.name).joined(separator: ".")
                    context.report(
                        "Cannot reference Input Object \"\(fieldType.name)\" within itself through a series of non-null "
                            + "fields: \"\(pathString)\".",
                        cyclePath.map(\.astNode))
                } else {
                    detect(fieldType, in: schema, context: &context)
                }
                fieldPath.removeLast()
            }
            fieldPathIndexByTypeName[input.name] = nil
        }
    }
}
