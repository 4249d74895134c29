/// A type as introspection describes it: a named type or a list / non-null wrapper (graphql-js passes
/// the type objects themselves; this is the same thing without classes for wrappers).
indirect enum IntrospectedType: Sendable {
    case named(GraphQLNamedType)
    case list(IntrospectedType)
    case nonNull(IntrospectedType)

    init?(_ reference: TypeReference, _ schema: GraphQLSchema) {
        switch reference {
        case .named(let name):
            guard let type = schema.type(named: name) else { return nil }
            self = .named(type)
        case .list(let inner):
            guard let type = IntrospectedType(inner, schema) else { return nil }
            self = .list(type)
        case .nonNull(let inner):
            guard let type = IntrospectedType(inner, schema) else { return nil }
            self = .nonNull(type)
        }
    }

    var named: GraphQLNamedType? {
        if case .named(let type) = self { return type }
        return nil
    }
}

/// A directive, boxed so introspection can tell it apart from other sources.
struct IntrospectedDirective: Sendable {
    let directive: GraphQLDirective
}

/// The resolvers of the `__schema`/`__type` meta-fields and of the introspection types (graphql-js
/// `introspection.ts`). They are built in and cannot be overridden.
enum IntrospectionResolvers {
    static func resolver(_ typeName: String, _ fieldName: String) -> FieldResolver? {
        if fieldName == "__schema" { return .sync { _, _, _, info in info.schema } }
        if fieldName == "__type" {
            return .sync { _, args, _, info in
                guard let name = args.string("name"), let type = info.schema.type(named: name) else { return nil }
                return IntrospectedType.named(type)
            }
        }
        return table[typeName]?[fieldName].map { resolve in .sync(resolve) }
    }

    private static let table: [String: [String: AnyFieldResolver]] = [
        "__Schema": [
            "description": { parent, _, _, _ in optionalString((parent as? GraphQLSchema)?.description) },
            "types": { parent, _, _, _ in
                (parent as? GraphQLSchema)?.types.map { IntrospectedType.named($0) } ?? []
            },
            "queryType": { parent, _, _, _ in (parent as? GraphQLSchema)?.queryType.map { IntrospectedType.named(.object($0)) } },
            "mutationType": { parent, _, _, _ in
                (parent as? GraphQLSchema)?.mutationType.map { IntrospectedType.named(.object($0)) }
            },
            "subscriptionType": { parent, _, _, _ in
                (parent as? GraphQLSchema)?.subscriptionType.map { IntrospectedType.named(.object($0)) }
            },
            "directives": { parent, _, _, _ in
                (parent as? GraphQLSchema)?.directives.map { IntrospectedDirective(directive: $0) } ?? []
            },
        ],
        "__Type": [
            "kind": { parent, _, _, _ in
                switch parent as? IntrospectedType {
                case .named(let type)?: return Value.string(type.kind.rawValue)
                case .list?: return Value.string(TypeKind.list.rawValue)
                case .nonNull?: return Value.string(TypeKind.nonNull.rawValue)
                case nil: return Value.null
                }
            },
            "name": { parent, _, _, _ in optionalString((parent as? IntrospectedType)?.named?.name) },
            "description": { parent, _, _, _ in optionalString((parent as? IntrospectedType)?.named?.typeDescription) },
            "specifiedByURL": { parent, _, _, _ in
                optionalString((parent as? IntrospectedType)?.named?.asScalar?.specifiedByURL)
            },
            "fields": { parent, args, _, info in
                guard let fields = (parent as? IntrospectedType)?.named?.fields else { return nil }
                let includeDeprecated = args.bool("includeDeprecated") == true
                return fields.elements.filter { includeDeprecated || $0.deprecationReason == nil }
            },
            "interfaces": { parent, _, _, info in
                guard let type = (parent as? IntrospectedType)?.named else { return nil }
                switch type {
                case .object, .interface:
                    return type.interfaces.compactMap { info.schema.type(named: $0).map(IntrospectedType.named) }
                default: return nil
                }
            },
            "possibleTypes": { parent, _, _, info in
                guard let type = (parent as? IntrospectedType)?.named, type.isAbstractType else { return nil }
                return info.schema.possibleTypes(of: type).map { IntrospectedType.named(.object($0)) }
            },
            "enumValues": { parent, args, _, _ in
                guard let enumType = (parent as? IntrospectedType)?.named?.asEnum else { return nil }
                let includeDeprecated = args.bool("includeDeprecated") == true
                return enumType.values.elements.filter { includeDeprecated || $0.deprecationReason == nil }
            },
            "inputFields": { parent, args, _, _ in
                guard let inputType = (parent as? IntrospectedType)?.named?.asInputObject else { return nil }
                let includeDeprecated = args.bool("includeDeprecated") == true
                return inputType.fields.elements.filter { includeDeprecated || $0.deprecationReason == nil }
            },
            "ofType": { parent, _, _, _ in
                switch parent as? IntrospectedType {
                case .list(let inner)?, .nonNull(let inner)?: return inner
                default: return nil
                }
            },
            "isOneOf": { parent, _, _, _ in
                guard let inputType = (parent as? IntrospectedType)?.named?.asInputObject else { return Value.null }
                return Value.bool(inputType.isOneOf)
            },
        ],
        "__Field": [
            "name": { parent, _, _, _ in optionalString((parent as? GraphQLField)?.name) },
            "description": { parent, _, _, _ in optionalString((parent as? GraphQLField)?.description) },
            "args": { parent, args, _, _ in
                guard let field = parent as? GraphQLField else { return nil }
                let includeDeprecated = args.bool("includeDeprecated") == true
                return field.args.filter { includeDeprecated || $0.deprecationReason == nil }
            },
            "type": { parent, _, _, info in
                guard let field = parent as? GraphQLField else { return nil }
                return IntrospectedType(field.type, info.schema)
            },
            "isDeprecated": { parent, _, _, _ in Value.bool((parent as? GraphQLField)?.deprecationReason != nil) },
            "deprecationReason": { parent, _, _, _ in optionalString((parent as? GraphQLField)?.deprecationReason) },
        ],
        "__InputValue": [
            "name": { parent, _, _, _ in optionalString((parent as? GraphQLInputValue)?.name) },
            "description": { parent, _, _, _ in optionalString((parent as? GraphQLInputValue)?.description) },
            "type": { parent, _, _, info in
                guard let input = parent as? GraphQLInputValue else { return nil }
                return IntrospectedType(input.type, info.schema)
            },
            "defaultValue": { parent, _, _, info in
                guard let input = parent as? GraphQLInputValue,
                    let node = try astFromValue(input.defaultValue, type: input.type, schema: info.schema)
                else { return Value.null }
                return Value.string(print(node))
            },
            "isDeprecated": { parent, _, _, _ in Value.bool((parent as? GraphQLInputValue)?.deprecationReason != nil) },
            "deprecationReason": { parent, _, _, _ in
                optionalString((parent as? GraphQLInputValue)?.deprecationReason)
            },
        ],
        "__EnumValue": [
            "name": { parent, _, _, _ in optionalString((parent as? GraphQLEnumValue)?.name) },
            "description": { parent, _, _, _ in optionalString((parent as? GraphQLEnumValue)?.description) },
            "isDeprecated": { parent, _, _, _ in Value.bool((parent as? GraphQLEnumValue)?.deprecationReason != nil) },
            "deprecationReason": { parent, _, _, _ in optionalString((parent as? GraphQLEnumValue)?.deprecationReason) },
        ],
        "__Directive": [
            "name": { parent, _, _, _ in optionalString((parent as? IntrospectedDirective)?.directive.name) },
            "description": { parent, _, _, _ in optionalString((parent as? IntrospectedDirective)?.directive.description) },
            "isRepeatable": { parent, _, _, _ in
                Value.bool((parent as? IntrospectedDirective)?.directive.isRepeatable == true)
            },
            "locations": { parent, _, _, _ in
                guard let directive = (parent as? IntrospectedDirective)?.directive else { return nil }
                return Value.list(directive.locations.map { .string($0.rawValue) })
            },
            "args": { parent, args, _, _ in
                guard let directive = (parent as? IntrospectedDirective)?.directive else { return nil }
                let includeDeprecated = args.bool("includeDeprecated") == true
                return directive.args.filter { includeDeprecated || $0.deprecationReason == nil }
            },
        ],
    ]
}

private func optionalString(_ string: String?) -> Value {
    guard let string else { return .null }
    return .string(string)
}
