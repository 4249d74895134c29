/// The parent object of an introspection field, addressed by owner and position so that resolving a
/// field copies no definitions and needs no dynamic casts.
enum IntrospectionSource: Sendable {
    /// The schema (`__Schema`).
    case schema
    /// A named type.
    case type(GraphQLNamedType)
    /// The type of a field, argument or input field: wrappers, or a named type by name (looked up only when
    /// a field other than `name` needs it).
    case typeRef(TypeReference)
    /// Field `index` of an object or interface type.
    case field(GraphQLNamedType, Int)
    /// Argument `argument` of field `field` of an object or interface type.
    case argument(GraphQLNamedType, field: Int, argument: Int)
    /// Field `index` of an input object type.
    case inputField(GraphQLInputObjectType, Int)
    /// Value `index` of an enum type.
    case enumValue(GraphQLEnumType, Int)
    /// Directive `index` of the schema.
    case directive(Int)
    /// Argument `argument` of directive `directive`.
    case directiveArgument(directive: Int, argument: Int)
}

/// An introspection field with a built-in resolver (graphql-js `introspection.ts`); resolved by a `switch`
/// rather than through closures, since introspection queries touch thousands of these fields.
enum IntrospectionField: Sendable {
    /// `__schema` and `__type(name:)`.
    case schemaMeta, typeMeta
    /// `__Schema` fields.
    case schemaDescription, schemaTypes, schemaQueryType, schemaMutationType, schemaSubscriptionType, schemaDirectives
    /// `__Type` fields.
    case typeKind, typeName, typeDescription, typeSpecifiedByURL, typeFields, typeInterfaces, typePossibleTypes,
        typeEnumValues, typeInputFields, typeOfType, typeIsOneOf
    /// `__Field` fields.
    case fieldName, fieldDescription, fieldArgs, fieldType, fieldIsDeprecated, fieldDeprecationReason
    /// `__InputValue` fields.
    case inputName, inputDescription, inputType, inputDefaultValue, inputIsDeprecated, inputDeprecationReason
    /// `__EnumValue` fields.
    case enumName, enumDescription, enumIsDeprecated, enumDeprecationReason
    /// `__Directive` fields.
    case directiveName, directiveDescription, directiveIsRepeatable, directiveLocations, directiveArgs

    /// The built-in field for `typeName.fieldName`, if there is one.
    init?(_ typeName: String, _ fieldName: String) {
        if fieldName == "__schema" {
            self = .schemaMeta
            return
        }
        if fieldName == "__type" {
            self = .typeMeta
            return
        }
        guard let field = IntrospectionField.table[typeName]?[fieldName] else { return nil }
        self = field
    }

    private static let table: [String: [String: IntrospectionField]] = [
        "__Schema": [
            "description": .schemaDescription, "types": .schemaTypes, "queryType": .schemaQueryType,
            "mutationType": .schemaMutationType, "subscriptionType": .schemaSubscriptionType,
            "directives": .schemaDirectives,
        ],
        "__Type": [
            "kind": .typeKind, "name": .typeName, "description": .typeDescription, "specifiedByURL": .typeSpecifiedByURL,
            "fields": .typeFields, "interfaces": .typeInterfaces, "possibleTypes": .typePossibleTypes,
            "enumValues": .typeEnumValues, "inputFields": .typeInputFields, "ofType": .typeOfType,
            "isOneOf": .typeIsOneOf,
        ],
        "__Field": [
            "name": .fieldName, "description": .fieldDescription, "args": .fieldArgs, "type": .fieldType,
            "isDeprecated": .fieldIsDeprecated, "deprecationReason": .fieldDeprecationReason,
        ],
        "__InputValue": [
            "name": .inputName, "description": .inputDescription, "type": .inputType, "defaultValue": .inputDefaultValue,
            "isDeprecated": .inputIsDeprecated, "deprecationReason": .inputDeprecationReason,
        ],
        "__EnumValue": [
            "name": .enumName, "description": .enumDescription, "isDeprecated": .enumIsDeprecated,
            "deprecationReason": .enumDeprecationReason,
        ],
        "__Directive": [
            "name": .directiveName, "description": .directiveDescription, "isRepeatable": .directiveIsRepeatable,
            "locations": .directiveLocations, "args": .directiveArgs,
        ],
    ]

    /// Resolves the field on `source`.
    func resolve(_ source: IntrospectionSource, _ args: Arguments, _ schema: GraphQLSchema) throws(GraphQLError)
        -> ResolvedValue
    {
        switch self {
        case .schemaMeta:
            return .meta(.schema)
        case .typeMeta:
            guard let name = args.string("name"), let type = schema.type(named: name) else { return .null }
            return .meta(.type(type))
        case .schemaDescription, .schemaTypes, .schemaQueryType, .schemaMutationType, .schemaSubscriptionType,
            .schemaDirectives:
            return resolveSchema(schema)
        case .typeKind, .typeName, .typeDescription, .typeSpecifiedByURL, .typeFields, .typeInterfaces,
            .typePossibleTypes, .typeEnumValues, .typeInputFields, .typeOfType, .typeIsOneOf:
            return resolveType(source, args, schema)
        case .fieldName, .fieldDescription, .fieldArgs, .fieldType, .fieldIsDeprecated, .fieldDeprecationReason:
            return resolveField(source, args)
        case .inputName, .inputDescription, .inputType, .inputDefaultValue, .inputIsDeprecated,
            .inputDeprecationReason:
            return try resolveInputValue(source, schema)
        case .enumName, .enumDescription, .enumIsDeprecated, .enumDeprecationReason:
            return resolveEnumValue(source)
        case .directiveName, .directiveDescription, .directiveIsRepeatable, .directiveLocations, .directiveArgs:
            return resolveDirective(source, args, schema)
        }
    }

    private func resolveSchema(_ schema: GraphQLSchema) -> ResolvedValue {
        switch self {
        case .schemaDescription: return string(schema.description)
        case .schemaTypes: return .metaList(schema.types.map { .type($0) })
        case .schemaQueryType: return schema.queryType.map { .meta(.type(.object($0))) } ?? .null
        case .schemaMutationType: return schema.mutationType.map { .meta(.type(.object($0))) } ?? .null
        case .schemaSubscriptionType: return schema.subscriptionType.map { .meta(.type(.object($0))) } ?? .null
        default: return .metaList(schema.directives.indices.map { .directive($0) })
        }
    }

    private func resolveType(_ source: IntrospectionSource, _ args: Arguments, _ schema: GraphQLSchema) -> ResolvedValue {
        switch self {
        case .typeKind:
            switch source {
            case .typeRef(.list): return .value(.string(TypeKind.list.rawValue))
            case .typeRef(.nonNull): return .value(.string(TypeKind.nonNull.rawValue))
            default: return string(namedType(source, schema)?.kind.rawValue)
            }
        case .typeName:
            switch source {
            case .type(let type): return .value(.string(type.name))
            case .typeRef(.named(let name)): return .value(.string(name))
            default: return .null
            }
        case .typeOfType:
            switch source {
            case .typeRef(.list(let inner)), .typeRef(.nonNull(let inner)): return .meta(.typeRef(inner))
            default: return .null
            }
        default:
            break
        }
        guard let type = namedType(source, schema) else { return .null }
        let all = includeDeprecated(args)
        switch self {
        case .typeDescription:
            return string(type.typeDescription)
        case .typeSpecifiedByURL:
            return string(type.asScalar?.specifiedByURL)
        case .typeFields:
            guard let fields = type.fields else { return .null }
            return .metaList(fields.indices.compactMap { all || fields[$0].deprecationReason == nil ? .field(type, $0) : nil })
        case .typeInterfaces:
            switch type {
            case .object, .interface:
                return .metaList(type.interfaces.compactMap { schema.type(named: $0).map { .type($0) } })
            default:
                return .null
            }
        case .typePossibleTypes:
            guard type.isAbstractType else { return .null }
            return .metaList(schema.possibleTypes(of: type).map { .type(.object($0)) })
        case .typeEnumValues:
            guard let enumType = type.asEnum else { return .null }
            let values = enumType.values
            return .metaList(
                values.indices.compactMap { all || values[$0].deprecationReason == nil ? .enumValue(enumType, $0) : nil })
        case .typeInputFields:
            guard let inputType = type.asInputObject else { return .null }
            let fields = inputType.fields
            return .metaList(
                fields.indices.compactMap { all || fields[$0].deprecationReason == nil ? .inputField(inputType, $0) : nil })
        case .typeIsOneOf:
            guard let inputType = type.asInputObject else { return .null }
            return .value(.bool(inputType.isOneOf))
        default:
            return .null
        }
    }

    private func resolveField(_ source: IntrospectionSource, _ args: Arguments) -> ResolvedValue {
        guard case .field(let owner, let index) = source, let fields = owner.fields else { return .null }
        switch self {
        case .fieldName: return .value(.string(fields[index].name))
        case .fieldDescription: return string(fields[index].description)
        case .fieldType: return .meta(.typeRef(fields[index].type))
        case .fieldIsDeprecated: return .value(.bool(fields[index].deprecationReason != nil))
        case .fieldDeprecationReason: return string(fields[index].deprecationReason)
        default:
            let all = includeDeprecated(args)
            let definitions = fields[index].args
            return .metaList(
                definitions.indices.compactMap { position in
                    all || definitions[position].deprecationReason == nil
                        ? .argument(owner, field: index, argument: position) : nil
                })
        }
    }

    private func resolveInputValue(_ source: IntrospectionSource, _ schema: GraphQLSchema) throws(GraphQLError)
        -> ResolvedValue
    {
        let input: GraphQLInputValue
        switch source {
        case .argument(let owner, let field, let argument):
            guard let fields = owner.fields else { return .null }
            input = fields[field].args[argument]
        case .inputField(let owner, let index): input = owner.fields[index]
        case .directiveArgument(let directive, let argument): input = schema.directives[directive].args[argument]
        default: return .null
        }
        switch self {
        case .inputName: return .value(.string(input.name))
        case .inputDescription: return string(input.description)
        case .inputType: return .meta(.typeRef(input.type))
        case .inputIsDeprecated: return .value(.bool(input.deprecationReason != nil))
        case .inputDeprecationReason: return string(input.deprecationReason)
        default:
            guard let node = try astFromValue(input.defaultValue, type: input.type, schema: schema) else { return .null }
            return .value(.string(print(node)))
        }
    }

    private func resolveEnumValue(_ source: IntrospectionSource) -> ResolvedValue {
        guard case .enumValue(let owner, let index) = source else { return .null }
        switch self {
        case .enumName: return .value(.string(owner.values[index].name))
        case .enumDescription: return string(owner.values[index].description)
        case .enumIsDeprecated: return .value(.bool(owner.values[index].deprecationReason != nil))
        default: return string(owner.values[index].deprecationReason)
        }
    }

    private func resolveDirective(_ source: IntrospectionSource, _ args: Arguments, _ schema: GraphQLSchema) -> ResolvedValue {
        guard case .directive(let index) = source else { return .null }
        let directive = schema.directives[index]
        switch self {
        case .directiveName: return .value(.string(directive.name))
        case .directiveDescription: return string(directive.description)
        case .directiveIsRepeatable: return .value(.bool(directive.isRepeatable))
        case .directiveLocations: return .value(.list(directive.locations.map { .string($0.rawValue) }))
        default:
            let all = includeDeprecated(args)
            return .metaList(
                directive.args.indices.compactMap { position in
                    all || directive.args[position].deprecationReason == nil
                        ? .directiveArgument(directive: index, argument: position) : nil
                })
        }
    }

    private func string(_ string: String?) -> ResolvedValue {
        guard let string else { return .null }
        return .value(.string(string))
    }

    private func includeDeprecated(_ args: Arguments) -> Bool { args["includeDeprecated"] == .bool(true) }

    private func namedType(_ source: IntrospectionSource, _ schema: GraphQLSchema) -> GraphQLNamedType? {
        switch source {
        case .type(let type): return type
        case .typeRef(.named(let name)): return schema.type(named: name)
        default: return nil
        }
    }
}
