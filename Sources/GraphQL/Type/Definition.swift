/// A reference to a type: a named type, possibly wrapped in lists and non-nulls.
///
/// Named types are looked up in the schema by name, so references are plain values that can be
/// compared, hashed and printed (`[Int!]!`) without touching the schema.
public indirect enum TypeReference: Sendable, Hashable, CustomStringConvertible {
    /// A named type.
    case named(String)
    /// `[T]`.
    case list(TypeReference)
    /// `T!`.
    case nonNull(TypeReference)

    /// The innermost type name.
    public var namedType: String {
        switch self {
        case .named(let name): return name
        case .list(let inner), .nonNull(let inner): return inner.namedType
        }
    }

    /// True for `T!`.
    public var isNonNull: Bool {
        if case .nonNull = self { return true }
        return false
    }

    /// True for `[T]` (not for `[T]!`).
    public var isList: Bool {
        if case .list = self { return true }
        return false
    }

    /// The type without its outer non-null wrapper (graphql-js `getNullableType`).
    public var nullable: TypeReference {
        if case .nonNull(let inner) = self { return inner }
        return self
    }

    /// The wrapped type for lists and non-nulls; nil for named types.
    public var ofType: TypeReference? {
        switch self {
        case .named: return nil
        case .list(let inner), .nonNull(let inner): return inner
        }
    }

    /// The SDL spelling, e.g. `[Int!]!`.
    public var description: String {
        switch self {
        case .named(let name): return name
        case .list(let inner): return "[\(inner)]"
        case .nonNull(let inner): return "\(inner)!"
        }
    }

    /// The reference written in an AST type node (graphql-js `typeFromAST` without the schema lookup).
    public init(_ node: TypeNode) {
        switch node {
        case .named(let named): self = .named(named.name.value)
        case .list(let list): self = .list(TypeReference(list.type))
        case .nonNull(let nonNull): self = .nonNull(TypeReference(nonNull.type))
        }
    }
}

/// The kinds of type, as introspection reports them (`__TypeKind`).
public enum TypeKind: String, Sendable, Hashable, CaseIterable {
    /// A scalar.
    case scalar = "SCALAR"
    /// An object type.
    case object = "OBJECT"
    /// An interface.
    case interface = "INTERFACE"
    /// A union.
    case union = "UNION"
    /// An enum.
    case enumType = "ENUM"
    /// An input object.
    case inputObject = "INPUT_OBJECT"
    /// A list wrapper.
    case list = "LIST"
    /// A non-null wrapper.
    case nonNull = "NON_NULL"
}

/// Any named type of a schema.
public enum GraphQLNamedType: Sendable, Hashable, CustomStringConvertible {
    /// A scalar type.
    case scalar(GraphQLScalarType)
    /// An object type.
    case object(GraphQLObjectType)
    /// An interface type.
    case interface(GraphQLInterfaceType)
    /// A union type.
    case union(GraphQLUnionType)
    /// An enum type.
    case enumType(GraphQLEnumType)
    /// An input object type.
    case inputObject(GraphQLInputObjectType)

    /// The type's name.
    public var name: String {
        switch self {
        case .scalar(let type): return type.name
        case .object(let type): return type.name
        case .interface(let type): return type.name
        case .union(let type): return type.name
        case .enumType(let type): return type.name
        case .inputObject(let type): return type.name
        }
    }

    /// The type's description.
    public var typeDescription: String? {
        switch self {
        case .scalar(let type): return type.description
        case .object(let type): return type.description
        case .interface(let type): return type.description
        case .union(let type): return type.description
        case .enumType(let type): return type.description
        case .inputObject(let type): return type.description
        }
    }

    /// The type's name (graphql-js `String(type)`).
    public var description: String { name }

    /// The introspection kind.
    public var kind: TypeKind {
        switch self {
        case .scalar: return .scalar
        case .object: return .object
        case .interface: return .interface
        case .union: return .union
        case .enumType: return .enumType
        case .inputObject: return .inputObject
        }
    }

    /// Scalars, enums and input objects may be used for arguments and variables.
    public var isInputType: Bool {
        switch self {
        case .scalar, .enumType, .inputObject: return true
        default: return false
        }
    }

    /// Everything but input objects may be the type of a field.
    public var isOutputType: Bool {
        if case .inputObject = self { return false }
        return true
    }

    /// Scalars and enums.
    public var isLeafType: Bool {
        switch self {
        case .scalar, .enumType: return true
        default: return false
        }
    }

    /// Objects, interfaces and unions: types with selection sets.
    public var isCompositeType: Bool {
        switch self {
        case .object, .interface, .union: return true
        default: return false
        }
    }

    /// Interfaces and unions.
    public var isAbstractType: Bool {
        switch self {
        case .interface, .union: return true
        default: return false
        }
    }

    /// The fields of an object or interface type.
    public var fields: NamedMap<GraphQLField>? {
        switch self {
        case .object(let type): return type.fields
        case .interface(let type): return type.fields
        default: return nil
        }
    }

    /// The type of field `name` of an object or interface type (without copying the field definition).
    public func fieldType(named name: String) -> TypeReference? {
        switch self {
        case .object(let type): return type.fields[name]?.type
        case .interface(let type): return type.fields[name]?.type
        default: return nil
        }
    }

    /// The interfaces an object or interface type implements.
    public var interfaces: [String] {
        switch self {
        case .object(let type): return type.interfaces
        case .interface(let type): return type.interfaces
        default: return []
        }
    }

    /// The object type, if this is one.
    public var asObject: GraphQLObjectType? {
        if case .object(let type) = self { return type }
        return nil
    }

    /// The interface type, if this is one.
    public var asInterface: GraphQLInterfaceType? {
        if case .interface(let type) = self { return type }
        return nil
    }

    /// The union type, if this is one.
    public var asUnion: GraphQLUnionType? {
        if case .union(let type) = self { return type }
        return nil
    }

    /// The enum type, if this is one.
    public var asEnum: GraphQLEnumType? {
        if case .enumType(let type) = self { return type }
        return nil
    }

    /// The scalar type, if this is one.
    public var asScalar: GraphQLScalarType? {
        if case .scalar(let type) = self { return type }
        return nil
    }

    /// The input object type, if this is one.
    public var asInputObject: GraphQLInputObjectType? {
        if case .inputObject(let type) = self { return type }
        return nil
    }

    /// The AST node that defined the type, if it came from SDL.
    public var astNode: TypeDefinitionNode? {
        switch self {
        case .scalar(let type): return type.astNode.map(TypeDefinitionNode.scalar)
        case .object(let type): return type.astNode.map(TypeDefinitionNode.object)
        case .interface(let type): return type.astNode.map(TypeDefinitionNode.interface)
        case .union(let type): return type.astNode.map(TypeDefinitionNode.union)
        case .enumType(let type): return type.astNode.map(TypeDefinitionNode.enumType)
        case .inputObject(let type): return type.astNode.map(TypeDefinitionNode.inputObject)
        }
    }

    /// The extension nodes applied to the type.
    public var extensionASTNodes: [TypeExtensionNode] {
        switch self {
        case .scalar(let type): return type.extensionASTNodes.map(TypeExtensionNode.scalar)
        case .object(let type): return type.extensionASTNodes.map(TypeExtensionNode.object)
        case .interface(let type): return type.extensionASTNodes.map(TypeExtensionNode.interface)
        case .union(let type): return type.extensionASTNodes.map(TypeExtensionNode.union)
        case .enumType(let type): return type.extensionASTNodes.map(TypeExtensionNode.enumType)
        case .inputObject(let type): return type.extensionASTNodes.map(TypeExtensionNode.inputObject)
        }
    }

    /// True for the `__Schema`, `__Type`, … types.
    public var isIntrospectionType: Bool { name.hasPrefix("__") && Introspection.typeNames.contains(name) }

    /// Types are equal when they are the same definition object.
    public static func == (lhs: GraphQLNamedType, rhs: GraphQLNamedType) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)): return a === b
        case (.object(let a), .object(let b)): return a === b
        case (.interface(let a), .interface(let b)): return a === b
        case (.union(let a), .union(let b)): return a === b
        case (.enumType(let a), .enumType(let b)): return a === b
        case (.inputObject(let a), .inputObject(let b)): return a === b
        default: return false
        }
    }

    /// Hashes the definition object's identity.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .scalar(let type): hasher.combine(ObjectIdentifier(type))
        case .object(let type): hasher.combine(ObjectIdentifier(type))
        case .interface(let type): hasher.combine(ObjectIdentifier(type))
        case .union(let type): hasher.combine(ObjectIdentifier(type))
        case .enumType(let type): hasher.combine(ObjectIdentifier(type))
        case .inputObject(let type): hasher.combine(ObjectIdentifier(type))
        }
    }
}

/// Something with a name, stored in a `NamedMap`.
public protocol NamedDefinition: Sendable {
    /// The definition's name.
    var name: String { get }
}

/// An insertion-ordered collection of named definitions with lookup by name: fields, input fields, enum values.
public struct NamedMap<Element: NamedDefinition>: Sendable, RandomAccessCollection {
    /// The definitions in order.
    public let elements: [Element]
    private let index: [String: Int]

    /// Creates a map; when names repeat the first definition wins the lookup (schemas validate uniqueness).
    public init(_ elements: [Element]) {
        self.elements = elements
        var index = [String: Int](minimumCapacity: elements.count)
        for (position, element) in elements.enumerated() where index[element.name] == nil {
            index[element.name] = position
        }
        self.index = index
    }

    /// The first position.
    public var startIndex: Int { 0 }
    /// One past the last position.
    public var endIndex: Int { elements.count }
    /// The definition at `position`.
    public subscript(position: Int) -> Element { elements[position] }
    /// The definition named `name`.
    public subscript(name: String) -> Element? {
        guard let position = index[name] else { return nil }
        return elements[position]
    }
    /// The names in order.
    public var names: [String] { elements.map(\.name) }
}

/// A field of an object or interface type.
///
/// Resolvers are not stored in the schema: execution looks them up separately (e.g. by "Type.field").
public struct GraphQLField: NamedDefinition, Sendable {
    /// The field name.
    public let name: String
    /// The description.
    public let description: String?
    /// The field's type.
    public let type: TypeReference
    /// Argument definitions in order.
    public let args: [GraphQLArgument]
    /// Why the field is deprecated, when it is.
    public let deprecationReason: String?
    /// The SDL node, when built from SDL.
    public let astNode: FieldDefinitionNode?

    /// Creates a field.
    public init(
        name: String, type: TypeReference, args: [GraphQLArgument] = [], description: String? = nil,
        deprecationReason: String? = nil, astNode: FieldDefinitionNode? = nil
    ) {
        self.name = name
        self.description = description
        self.type = type
        self.args = args
        self.deprecationReason = deprecationReason
        self.astNode = astNode
    }

    /// The argument named `name`.
    public func argument(named name: String) -> GraphQLArgument? {
        args.first { $0.name == name }
    }
}

/// An argument of a field or directive, or a field of an input object (graphql-js `GraphQLArgument`
/// and `GraphQLInputField`, which have the same shape).
public struct GraphQLInputValue: NamedDefinition, Sendable {
    /// The name.
    public let name: String
    /// The description.
    public let description: String?
    /// The input type.
    public let type: TypeReference
    /// The default, as an internal (coerced) value; nil when there is none.
    public let defaultValue: Value?
    /// Why it is deprecated, when it is.
    public let deprecationReason: String?
    /// The SDL node, when built from SDL.
    public let astNode: InputValueDefinitionNode?

    /// Creates an input value.
    public init(
        name: String, type: TypeReference, defaultValue: Value? = nil, description: String? = nil,
        deprecationReason: String? = nil, astNode: InputValueDefinitionNode? = nil
    ) {
        self.name = name
        self.description = description
        self.type = type
        self.defaultValue = defaultValue
        self.deprecationReason = deprecationReason
        self.astNode = astNode
    }

    /// Required means non-null without a default (graphql-js `isRequiredArgument` / `isRequiredInputField`).
    public var isRequired: Bool { type.isNonNull && defaultValue == nil }
}

/// An argument definition.
public typealias GraphQLArgument = GraphQLInputValue
/// An input object field definition.
public typealias GraphQLInputField = GraphQLInputValue
