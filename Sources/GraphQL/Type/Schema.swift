/// The object and interface types implementing an interface.
public struct InterfaceImplementations: Sendable {
    /// Object types implementing the interface, in type map order.
    public var objects: [GraphQLObjectType] = []
    /// Interfaces implementing the interface, in type map order.
    public var interfaces: [GraphQLInterfaceType] = []
}

/// A GraphQL schema: named types looked up by name, root operation types and directives
/// (graphql-js `GraphQLSchema`). Immutable and shareable across tasks.
///
/// The type map holds every type reachable from the given types, roots and directives, the specified
/// scalars that are referenced, and the introspection types, in the same order graphql-js builds it
/// (so introspection lists types identically). Schema validation runs once, at construction;
/// see `validationErrors`.
public final class GraphQLSchema: Sendable {
    let contents: SchemaContents

    /// Problems found by schema validation (graphql-js `validateSchema`); empty for a valid schema.
    public let validationErrors: [GraphQLError]

    /// Creates a schema. Root types are given as named types so that invalid roots (e.g. an interface)
    /// can be reported by validation, as graphql-js does.
    public init(
        query: GraphQLNamedType?, mutation: GraphQLNamedType? = nil, subscription: GraphQLNamedType? = nil,
        types: [GraphQLNamedType] = [], directives: [GraphQLDirective] = GraphQLDirective.specifiedDirectives,
        description: String? = nil, astNode: SchemaDefinitionNode? = nil,
        extensionASTNodes: [SchemaExtensionNode] = []
    ) {
        let contents = SchemaContents(
            query: query, mutation: mutation, subscription: subscription, types: types, directives: directives,
            description: description, astNode: astNode, extensionASTNodes: extensionASTNodes)
        self.contents = contents
        validationErrors = SchemaValidator.validate(contents)
    }

    /// Creates a schema from object root types.
    public convenience init(
        query: GraphQLObjectType, mutation: GraphQLObjectType? = nil, subscription: GraphQLObjectType? = nil,
        types: [GraphQLNamedType] = [], directives: [GraphQLDirective] = GraphQLDirective.specifiedDirectives,
        description: String? = nil
    ) {
        self.init(
            query: .object(query), mutation: mutation.map(GraphQLNamedType.object),
            subscription: subscription.map(GraphQLNamedType.object), types: types, directives: directives,
            description: description)
    }

    /// The schema description.
    public var description: String? { contents.description }
    /// The query root type, when it is an object type.
    public var queryType: GraphQLObjectType? { contents.query?.asObject }
    /// The mutation root type, when it is an object type.
    public var mutationType: GraphQLObjectType? { contents.mutation?.asObject }
    /// The subscription root type, when it is an object type.
    public var subscriptionType: GraphQLObjectType? { contents.subscription?.asObject }
    /// Every named type, in graphql-js type map order.
    public var types: [GraphQLNamedType] { contents.types }
    /// Every named type by name.
    public var typeMap: [String: GraphQLNamedType] { contents.typeMap }
    /// The directives, user-defined first, then the specified ones not redefined.
    public var directives: [GraphQLDirective] { contents.directives }
    /// The `schema { … }` definition, when built from SDL.
    public var astNode: SchemaDefinitionNode? { contents.astNode }
    /// `extend schema` nodes, when built from SDL.
    public var extensionASTNodes: [SchemaExtensionNode] { contents.extensionASTNodes }

    /// The root type for an operation, when it is an object type (graphql-js `getRootType`).
    public func rootType(for operation: OperationType) -> GraphQLObjectType? {
        contents.rootType(for: operation)?.asObject
    }

    /// The type named `name`.
    public func type(named name: String) -> GraphQLNamedType? { contents.typeMap[name] }

    /// The named type at the core of `reference`, if it exists.
    public func namedType(of reference: TypeReference) -> GraphQLNamedType? {
        contents.typeMap[reference.namedType]
    }

    /// The directive named `name`.
    public func directive(named name: String) -> GraphQLDirective? { contents.directive(named: name) }

    /// The object types an abstract type may resolve to (graphql-js `getPossibleTypes`).
    public func possibleTypes(of abstractType: GraphQLNamedType) -> [GraphQLObjectType] {
        contents.possibleTypes(of: abstractType)
    }

    /// The objects and interfaces implementing `interfaceType`.
    public func implementations(of interfaceType: GraphQLInterfaceType) -> InterfaceImplementations {
        contents.implementations[interfaceType.name] ?? InterfaceImplementations()
    }

    /// True if `maybeSubType` is a member of the union or an implementation of the interface.
    public func isSubType(_ abstractType: GraphQLNamedType, _ maybeSubType: GraphQLNamedType) -> Bool {
        contents.isSubType(abstractType.name, maybeSubType.name)
    }

    /// Throws the validation errors, if any (graphql-js `assertValidSchema`).
    public func assertValid() throws(GraphQLError) {
        guard !validationErrors.isEmpty else { return }
        throw GraphQLError(validationErrors.map(\.message).joined(separator: "\n\n"))
    }
}

/// Schema validation errors (graphql-js `validateSchema`); computed once when the schema is created.
public func validateSchema(_ schema: GraphQLSchema) -> [GraphQLError] { schema.validationErrors }

/// Everything a schema holds, computed in one place so that validation can run before the schema exists.
struct SchemaContents: Sendable {
    let description: String?
    let query: GraphQLNamedType?
    let mutation: GraphQLNamedType?
    let subscription: GraphQLNamedType?
    let types: [GraphQLNamedType]
    let typeMap: [String: GraphQLNamedType]
    let directives: [GraphQLDirective]
    let astNode: SchemaDefinitionNode?
    let extensionASTNodes: [SchemaExtensionNode]
    let implementations: [String: InterfaceImplementations]
    let subTypes: [String: Set<String>]
    /// Problems found while collecting types: duplicate names and references to undefined types.
    let collectionErrors: [GraphQLError]

    init(
        query: GraphQLNamedType?, mutation: GraphQLNamedType?, subscription: GraphQLNamedType?,
        types: [GraphQLNamedType], directives: [GraphQLDirective], description: String?,
        astNode: SchemaDefinitionNode?, extensionASTNodes: [SchemaExtensionNode]
    ) {
        self.description = description
        self.query = query
        self.mutation = mutation
        self.subscription = subscription
        self.directives = directives
        self.astNode = astNode
        self.extensionASTNodes = extensionASTNodes

        var collector = TypeCollector(
            provided: types + [query, mutation, subscription].compactMap { $0 },
            introspection: Introspection.types(withOneOf: directives.contains { $0.name == "oneOf" }))
        // graphql-js: each given type is removed from the set and collected again, which moves it
        // (and whatever it discovers) to the end.
        collector.order = types.map(\.name)
        collector.seen = Set(collector.order)
        for type in types {
            collector.remove(type.name)
            collector.collect(type.name, referencedBy: nil)
        }
        for root in [query, mutation, subscription].compactMap({ $0 }) {
            collector.collect(root.name, referencedBy: nil)
        }
        for directive in directives {
            for argument in directive.args {
                collector.collect(argument.type.namedType, referencedBy: "@\(directive.name)(\(argument.name):)")
            }
        }
        collector.collect("__Schema", referencedBy: nil)

        var typeMap: [String: GraphQLNamedType] = [:]
        var orderedTypes: [GraphQLNamedType] = []
        for name in collector.order {
            guard let type = collector.available[name] else { continue }
            typeMap[name] = type
            orderedTypes.append(type)
        }
        self.typeMap = typeMap
        self.types = orderedTypes
        collectionErrors = collector.errors

        var implementations: [String: InterfaceImplementations] = [:]
        for type in orderedTypes {
            switch type {
            case .object(let object):
                for interface in object.interfaces where typeMap[interface]?.asInterface != nil {
                    implementations[interface, default: InterfaceImplementations()].objects.append(object)
                }
            case .interface(let interfaceType):
                for interface in interfaceType.interfaces where typeMap[interface]?.asInterface != nil {
                    implementations[interface, default: InterfaceImplementations()].interfaces.append(interfaceType)
                }
            default:
                break
            }
        }
        self.implementations = implementations

        var subTypes: [String: Set<String>] = [:]
        for type in orderedTypes {
            switch type {
            case .union(let union):
                subTypes[union.name] = Set(union.types)
            case .interface(let interface):
                let found = implementations[interface.name] ?? InterfaceImplementations()
                subTypes[interface.name] = Set(found.objects.map(\.name) + found.interfaces.map(\.name))
            default:
                break
            }
        }
        self.subTypes = subTypes
    }

    func rootType(for operation: OperationType) -> GraphQLNamedType? {
        switch operation {
        case .query: return query
        case .mutation: return mutation
        case .subscription: return subscription
        }
    }

    func directive(named name: String) -> GraphQLDirective? {
        directives.first { $0.name == name }
    }

    func possibleTypes(of abstractType: GraphQLNamedType) -> [GraphQLObjectType] {
        switch abstractType {
        case .union(let union): return union.types.compactMap { typeMap[$0]?.asObject }
        case .interface(let interface): return implementations[interface.name]?.objects ?? []
        default: return []
        }
    }

    func isSubType(_ abstractTypeName: String, _ maybeSubTypeName: String) -> Bool {
        subTypes[abstractTypeName]?.contains(maybeSubTypeName) ?? false
    }
}

/// graphql-js `collectReferencedTypes`, by name: an insertion-ordered set plus the definitions to look names up in.
private struct TypeCollector {
    var available: [String: GraphQLNamedType] = [:]
    var order: [String] = []
    var seen: Set<String> = []
    var errors: [GraphQLError] = []
    private var reportedMissing: Set<String> = []

    init(provided: [GraphQLNamedType], introspection: [GraphQLNamedType]) {
        for type in provided {
            if let existing = available[type.name] {
                if existing != type && !reportedMissing.contains("dup:" + type.name) {
                    reportedMissing.insert("dup:" + type.name)
                    errors.append(
                        GraphQLError(
                            "Schema must contain uniquely named types but contains multiple types named \"\(type.name)\"."
                        ))
                }
                continue
            }
            available[type.name] = type
        }
        for scalar in GraphQLScalarType.specifiedScalars where available[scalar.name] == nil {
            available[scalar.name] = .scalar(scalar)
        }
        for type in introspection {
            available[type.name] = type
        }
    }

    mutating func remove(_ name: String) {
        if seen.remove(name) != nil, let position = order.firstIndex(of: name) {
            order.remove(at: position)
        }
    }

    mutating func collect(_ name: String, referencedBy referrer: String?) {
        guard !seen.contains(name) else { return }
        guard let type = available[name] else {
            if !reportedMissing.contains(name) {
                reportedMissing.insert(name)
                let suffix = referrer.map { " (referenced by \($0))" } ?? ""
                errors.append(GraphQLError("Unknown type \"\(name)\"\(suffix)."))
            }
            return
        }
        seen.insert(name)
        order.append(name)
        switch type {
        case .union(let union):
            for member in union.types { collect(member, referencedBy: union.name) }
        case .object(let object):
            collectFields(object.name, interfaces: object.interfaces, fields: object.fields)
        case .interface(let interface):
            collectFields(interface.name, interfaces: interface.interfaces, fields: interface.fields)
        case .inputObject(let input):
            for field in input.fields {
                collect(field.type.namedType, referencedBy: "\(input.name).\(field.name)")
            }
        case .scalar, .enumType:
            break
        }
    }

    private mutating func collectFields(_ typeName: String, interfaces: [String], fields: NamedMap<GraphQLField>) {
        for interface in interfaces { collect(interface, referencedBy: typeName) }
        for field in fields {
            collect(field.type.namedType, referencedBy: "\(typeName).\(field.name)")
            for argument in field.args {
                collect(argument.type.namedType, referencedBy: "\(typeName).\(field.name)(\(argument.name):)")
            }
        }
    }
}
