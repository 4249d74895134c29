/// Options for building a schema from SDL.
public struct BuildSchemaOptions: Sendable {
    /// Skip the SDL checks (unknown types and directives, duplicates, …); graphql-js `assumeValidSDL`.
    public var assumeValidSDL: Bool
    /// Implementations for custom scalars declared in the SDL, matched by name (e.g. `GraphQLScalarType.json`).
    /// Declared scalars without an implementation pass values through unchanged.
    public var scalars: [GraphQLScalarType]

    /// Creates options.
    public init(assumeValidSDL: Bool = false, scalars: [GraphQLScalarType] = []) {
        self.assumeValidSDL = assumeValidSDL
        self.scalars = scalars
    }
}

/// The SDL could not be turned into a schema: a syntax error, or problems found by the SDL checks.
public struct SchemaBuildError: Error, Sendable, CustomStringConvertible {
    /// Every problem found, in document order.
    public let errors: [GraphQLError]

    /// Creates the error.
    public init(errors: [GraphQLError]) { self.errors = errors }

    /// The messages, separated by blank lines (like graphql-js `assertValidSDL`).
    public var description: String { errors.map(\.description).joined(separator: "\n\n") }
}

/// Builds a schema from SDL text (graphql-js `buildSchema`). Token and depth limits do not apply to SDL.
public func buildSchema(_ sdl: String, options: BuildSchemaOptions = BuildSchemaOptions()) throws(SchemaBuildError)
    -> GraphQLSchema
{
    let document: DocumentNode
    do {
        document = try parse(sdl, options: ParseOptions(maxTokens: nil, maxDepth: 10_000))
    } catch {
        throw SchemaBuildError(errors: [error])
    }
    return try buildASTSchema(document, options: options)
}

/// Builds a schema from a parsed SDL document (graphql-js `buildASTSchema`): type definitions and extensions,
/// directive definitions, `schema { … }` (or the default root names `Query`, `Mutation`, `Subscription`).
/// Schema-level validation runs too; its findings are in `validationErrors` (they do not make this throw).
public func buildASTSchema(_ document: DocumentNode, options: BuildSchemaOptions = BuildSchemaOptions())
    throws(SchemaBuildError) -> GraphQLSchema
{
    if !options.assumeValidSDL {
        let errors = SDLValidator.validate(document)
        if !errors.isEmpty { throw SchemaBuildError(errors: errors) }
    }
    let builder = SchemaBuilder(document: document, customScalars: options.scalars)
    do {
        return try builder.buildSchema()
    } catch {
        throw SchemaBuildError(errors: [error])
    }
}

/// Turns SDL definitions into type objects (graphql-js `extendSchemaImpl` applied to an empty schema).
final class SchemaBuilder {
    private(set) var typeDefinitions: [TypeDefinitionNode] = []
    private(set) var typeExtensions: [String: [TypeExtensionNode]] = [:]
    private(set) var directiveDefinitions: [DirectiveDefinitionNode] = []
    private(set) var schemaDefinition: SchemaDefinitionNode?
    private(set) var schemaExtensions: [SchemaExtensionNode] = []
    private(set) var usesOneOf = false
    private let customScalars: [String: GraphQLScalarType]
    private let standardTypes: [String: GraphQLNamedType]
    private var definitionsByName: [String: TypeDefinitionNode] = [:]
    private var built: [String: GraphQLNamedType] = [:]
    private var inputsInProgress: Set<String> = []

    init(document: DocumentNode, customScalars: [GraphQLScalarType], standardTypes: [GraphQLNamedType]? = nil) {
        var scalars: [String: GraphQLScalarType] = [:]
        for scalar in customScalars { scalars[scalar.name] = scalar }
        self.customScalars = scalars
        var standard: [String: GraphQLNamedType] = [:]
        for scalar in GraphQLScalarType.specifiedScalars { standard[scalar.name] = .scalar(scalar) }
        for type in standardTypes ?? Introspection.types(withOneOf: false) { standard[type.name] = type }
        self.standardTypes = standard
        for definition in document.definitions {
            switch definition {
            case .schema(let node):
                schemaDefinition = node
            case .schemaExtension(let node):
                schemaExtensions.append(node)
            case .type(let node):
                typeDefinitions.append(node)
                if definitionsByName[node.name.value] == nil { definitionsByName[node.name.value] = node }
            case .typeExtension(let node):
                typeExtensions[node.name.value, default: []].append(node)
            case .directive(let node):
                directiveDefinitions.append(node)
                if node.name.value == "oneOf" { usesOneOf = true }
            case .operation, .fragment:
                break
            }
        }
        usesOneOf = usesOneOf || Self.documentUsesOneOf(document)
    }

    /// Builds the types of a document that only holds type definitions (the introspection types).
    static func buildStandaloneTypes(_ document: DocumentNode) -> [GraphQLNamedType] {
        let builder = SchemaBuilder(document: document, customScalars: [], standardTypes: [])
        return builder.typeDefinitions.map { builder.namedType($0.name.value)! }
    }

    func buildSchema() throws(GraphQLError) -> GraphQLSchema {
        var types: [GraphQLNamedType] = []
        var seen = Set<String>()
        for definition in typeDefinitions where seen.insert(definition.name.value).inserted {
            if let type = namedType(definition.name.value) { types.append(type) }
        }
        var roots: [OperationType: GraphQLNamedType] = [:]
        for node in (schemaDefinition.map { [$0.operationTypes] } ?? []) + schemaExtensions.map(\.operationTypes) {
            for operationType in node {
                let name = operationType.type.name.value
                guard let type = namedType(name) else {
                    throw GraphQLError("Unknown type: \"\(name)\".", nodes: [operationType.type])
                }
                roots[operationType.operation] = type
            }
        }
        if schemaDefinition == nil {
            for type in types {
                switch type.name {
                case "Query": roots[.query] = type
                case "Mutation": roots[.mutation] = type
                case "Subscription": roots[.subscription] = type
                default: break
                }
            }
        }
        var directives = directiveDefinitions.map(buildDirective)
        var standardDirectives = GraphQLDirective.specifiedDirectives
        if usesOneOf { standardDirectives.append(.oneOf) }
        for standard in standardDirectives where !directives.contains(where: { $0.name == standard.name }) {
            directives.append(standard)
        }
        return GraphQLSchema(
            query: roots[.query], mutation: roots[.mutation], subscription: roots[.subscription], types: types,
            directives: directives, description: schemaDefinition?.description?.value, astNode: schemaDefinition,
            extensionASTNodes: schemaExtensions)
    }

    /// The type named `name`: a standard type, or one built (once) from its definition and extensions.
    func namedType(_ name: String) -> GraphQLNamedType? {
        if let standard = standardTypes[name] { return standard }
        if let type = built[name] { return type }
        guard let definition = definitionsByName[name] else { return nil }
        let extensions = typeExtensions[name] ?? []
        let type: GraphQLNamedType
        switch definition {
        case .scalar(let node):
            type = .scalar(buildScalar(node, extensions))
        case .enumType(let node):
            type = .enumType(buildEnum(node, extensions))
        case .inputObject(let node):
            guard !inputsInProgress.contains(name) else {
                // A default value refers back to this type while it is being built; build it without defaults.
                return .inputObject(buildInputObject(node, extensions, withDefaults: false))
            }
            inputsInProgress.insert(name)
            type = .inputObject(buildInputObject(node, extensions, withDefaults: true))
            inputsInProgress.remove(name)
        case .object(let node):
            type = .object(buildObject(node, extensions))
        case .interface(let node):
            type = .interface(buildInterface(node, extensions))
        case .union(let node):
            type = .union(buildUnion(node, extensions))
        }
        built[name] = type
        return type
    }

    // MARK: Type builders

    private func buildScalar(_ node: ScalarTypeDefinitionNode, _ extensions: [TypeExtensionNode]) -> GraphQLScalarType {
        let extensionNodes = extensions.compactMap { if case .scalar(let ext) = $0 { return ext } else { return nil } }
        var specifiedByURL = Self.specifiedByURL(node.directives)
        for extensionNode in extensionNodes {
            specifiedByURL = Self.specifiedByURL(extensionNode.directives) ?? specifiedByURL
        }
        if let implementation = customScalars[node.name.value] {
            return implementation.with(
                description: node.description?.value ?? implementation.description,
                specifiedByURL: specifiedByURL ?? implementation.specifiedByURL, astNode: node,
                extensionASTNodes: extensionNodes)
        }
        return GraphQLScalarType(
            name: node.name.value, description: node.description?.value, specifiedByURL: specifiedByURL,
            astNode: node, extensionASTNodes: extensionNodes)
    }

    private func buildEnum(_ node: EnumTypeDefinitionNode, _ extensions: [TypeExtensionNode]) -> GraphQLEnumType {
        let extensionNodes = extensions.compactMap { if case .enumType(let ext) = $0 { return ext } else { return nil } }
        let valueNodes = node.values + extensionNodes.flatMap(\.values)
        let values = valueNodes.map {
            GraphQLEnumValue(
                name: $0.name.value, description: $0.description?.value,
                deprecationReason: Self.deprecationReason($0.directives), astNode: $0)
        }
        return GraphQLEnumType(
            name: node.name.value, values: Self.lastWins(values), description: node.description?.value, astNode: node,
            extensionASTNodes: extensionNodes)
    }

    private func buildInputObject(
        _ node: InputObjectTypeDefinitionNode, _ extensions: [TypeExtensionNode], withDefaults: Bool
    ) -> GraphQLInputObjectType {
        let extensionNodes = extensions.compactMap {
            if case .inputObject(let ext) = $0 { return ext } else { return nil }
        }
        let fields = (node.fields + extensionNodes.flatMap(\.fields)).map {
            buildInputValue($0, withDefault: withDefaults)
        }
        let isOneOf =
            node.directives.contains { $0.name.value == "oneOf" }
            || extensionNodes.contains { $0.directives.contains { $0.name.value == "oneOf" } }
        return GraphQLInputObjectType(
            name: node.name.value, fields: Self.lastWins(fields), isOneOf: isOneOf,
            description: node.description?.value, astNode: node, extensionASTNodes: extensionNodes)
    }

    private func buildObject(_ node: ObjectTypeDefinitionNode, _ extensions: [TypeExtensionNode]) -> GraphQLObjectType {
        let extensionNodes = extensions.compactMap { if case .object(let ext) = $0 { return ext } else { return nil } }
        let fieldNodes = node.fields + extensionNodes.flatMap(\.fields)
        let interfaces = (node.interfaces + extensionNodes.flatMap(\.interfaces)).map(\.name.value)
        return GraphQLObjectType(
            name: node.name.value, fields: Self.lastWins(fieldNodes.map(buildField)), interfaces: interfaces,
            description: node.description?.value, astNode: node, extensionASTNodes: extensionNodes)
    }

    private func buildInterface(_ node: InterfaceTypeDefinitionNode, _ extensions: [TypeExtensionNode])
        -> GraphQLInterfaceType
    {
        let extensionNodes = extensions.compactMap {
            if case .interface(let ext) = $0 { return ext } else { return nil }
        }
        let fieldNodes = node.fields + extensionNodes.flatMap(\.fields)
        let interfaces = (node.interfaces + extensionNodes.flatMap(\.interfaces)).map(\.name.value)
        return GraphQLInterfaceType(
            name: node.name.value, fields: Self.lastWins(fieldNodes.map(buildField)), interfaces: interfaces,
            description: node.description?.value, astNode: node, extensionASTNodes: extensionNodes)
    }

    private func buildUnion(_ node: UnionTypeDefinitionNode, _ extensions: [TypeExtensionNode]) -> GraphQLUnionType {
        let extensionNodes = extensions.compactMap { if case .union(let ext) = $0 { return ext } else { return nil } }
        let members = (node.types + extensionNodes.flatMap(\.types)).map(\.name.value)
        return GraphQLUnionType(
            name: node.name.value, types: members, description: node.description?.value, astNode: node,
            extensionASTNodes: extensionNodes)
    }

    private func buildField(_ node: FieldDefinitionNode) -> GraphQLField {
        GraphQLField(
            name: node.name.value, type: TypeReference(node.type),
            args: Self.lastWins(node.arguments.map { buildInputValue($0, withDefault: true) }),
            description: node.description?.value, deprecationReason: Self.deprecationReason(node.directives),
            astNode: node)
    }

    private func buildInputValue(_ node: InputValueDefinitionNode, withDefault: Bool) -> GraphQLInputValue {
        let type = TypeReference(node.type)
        let defaultValue = withDefault ? valueFromAST(node.defaultValue, type, nil) { self.namedType($0) } : nil
        return GraphQLInputValue(
            name: node.name.value, type: type, defaultValue: defaultValue, description: node.description?.value,
            deprecationReason: Self.deprecationReason(node.directives), astNode: node)
    }

    private func buildDirective(_ node: DirectiveDefinitionNode) -> GraphQLDirective {
        GraphQLDirective(
            name: node.name.value, locations: node.locations.compactMap { DirectiveLocation(rawValue: $0.value) },
            args: Self.lastWins(node.arguments.map { buildInputValue($0, withDefault: true) }),
            isRepeatable: node.repeatable, description: node.description?.value, astNode: node)
    }

    // MARK: Helpers

    /// graphql-js builds fields into an object map, so a repeated name keeps its first position and last definition.
    static func lastWins<T: NamedDefinition>(_ items: [T]) -> [T] {
        var positions: [String: Int] = [:]
        var result: [T] = []
        result.reserveCapacity(items.count)
        for item in items {
            if let position = positions[item.name] {
                result[position] = item
            } else {
                positions[item.name] = result.count
                result.append(item)
            }
        }
        return result
    }

    /// The `reason` of a `@deprecated` directive (its default when omitted); nil when not deprecated.
    static func deprecationReason(_ directives: [DirectiveNode]) -> String? {
        guard let directive = directives.first(where: { $0.name.value == "deprecated" }) else { return nil }
        guard let argument = directive.arguments.first(where: { $0.name.value == "reason" }) else {
            return defaultDeprecationReason
        }
        if case .string(let string) = argument.value { return string.value }
        return nil
    }

    /// The `url` of a `@specifiedBy` directive.
    static func specifiedByURL(_ directives: [DirectiveNode]) -> String? {
        guard let directive = directives.first(where: { $0.name.value == "specifiedBy" }),
            let argument = directive.arguments.first(where: { $0.name.value == "url" }),
            case .string(let string) = argument.value
        else { return nil }
        return string.value
    }

    /// True if any definition applies `@oneOf`.
    static func documentUsesOneOf(_ document: DocumentNode) -> Bool {
        for definition in document.definitions {
            switch definition {
            case .type(.inputObject(let node)) where node.directives.contains(where: { $0.name.value == "oneOf" }):
                return true
            case .typeExtension(.inputObject(let node))
            where node.directives.contains(where: { $0.name.value == "oneOf" }):
                return true
            default:
                continue
            }
        }
        return false
    }
}
