/// An object type: a set of named fields, possibly implementing interfaces.
public final class GraphQLObjectType: Sendable {
    /// The type name.
    public let name: String
    /// The description.
    public let description: String?
    /// The fields in definition order.
    public let fields: NamedMap<GraphQLField>
    /// Names of the implemented interfaces, in definition order.
    public let interfaces: [String]
    /// The SDL definition, when built from SDL.
    public let astNode: ObjectTypeDefinitionNode?
    /// SDL extensions applied to the type.
    public let extensionASTNodes: [ObjectTypeExtensionNode]

    /// Creates an object type.
    public init(
        name: String, fields: [GraphQLField], interfaces: [String] = [], description: String? = nil,
        astNode: ObjectTypeDefinitionNode? = nil, extensionASTNodes: [ObjectTypeExtensionNode] = []
    ) {
        self.name = name
        self.description = description
        self.fields = NamedMap(fields)
        self.interfaces = interfaces
        self.astNode = astNode
        self.extensionASTNodes = extensionASTNodes
    }
}

/// An interface type: fields shared by the types implementing it; interfaces may implement interfaces.
public final class GraphQLInterfaceType: Sendable {
    /// The type name.
    public let name: String
    /// The description.
    public let description: String?
    /// The fields in definition order.
    public let fields: NamedMap<GraphQLField>
    /// Names of the interfaces this interface implements.
    public let interfaces: [String]
    /// The SDL definition, when built from SDL.
    public let astNode: InterfaceTypeDefinitionNode?
    /// SDL extensions applied to the type.
    public let extensionASTNodes: [InterfaceTypeExtensionNode]

    /// Creates an interface type.
    public init(
        name: String, fields: [GraphQLField], interfaces: [String] = [], description: String? = nil,
        astNode: InterfaceTypeDefinitionNode? = nil, extensionASTNodes: [InterfaceTypeExtensionNode] = []
    ) {
        self.name = name
        self.description = description
        self.fields = NamedMap(fields)
        self.interfaces = interfaces
        self.astNode = astNode
        self.extensionASTNodes = extensionASTNodes
    }
}

/// A union type: one of several object types.
public final class GraphQLUnionType: Sendable {
    /// The type name.
    public let name: String
    /// The description.
    public let description: String?
    /// Names of the member types, in definition order.
    public let types: [String]
    /// The SDL definition, when built from SDL.
    public let astNode: UnionTypeDefinitionNode?
    /// SDL extensions applied to the type.
    public let extensionASTNodes: [UnionTypeExtensionNode]

    /// Creates a union type.
    public init(
        name: String, types: [String], description: String? = nil, astNode: UnionTypeDefinitionNode? = nil,
        extensionASTNodes: [UnionTypeExtensionNode] = []
    ) {
        self.name = name
        self.description = description
        self.types = types
        self.astNode = astNode
        self.extensionASTNodes = extensionASTNodes
    }
}

/// An input object type: a set of named input fields; `@oneOf` ones require exactly one non-null field.
public final class GraphQLInputObjectType: Sendable {
    /// The type name.
    public let name: String
    /// The description.
    public let description: String?
    /// The input fields in definition order.
    public let fields: NamedMap<GraphQLInputField>
    /// True for `@oneOf` input objects.
    public let isOneOf: Bool
    /// The SDL definition, when built from SDL.
    public let astNode: InputObjectTypeDefinitionNode?
    /// SDL extensions applied to the type.
    public let extensionASTNodes: [InputObjectTypeExtensionNode]

    /// Creates an input object type.
    public init(
        name: String, fields: [GraphQLInputField], isOneOf: Bool = false, description: String? = nil,
        astNode: InputObjectTypeDefinitionNode? = nil, extensionASTNodes: [InputObjectTypeExtensionNode] = []
    ) {
        self.name = name
        self.description = description
        self.fields = NamedMap(fields)
        self.isOneOf = isOneOf
        self.astNode = astNode
        self.extensionASTNodes = extensionASTNodes
    }
}

/// One value of an enum type.
public struct GraphQLEnumValue: NamedDefinition, Sendable {
    /// The name used in documents and responses.
    public let name: String
    /// The description.
    public let description: String?
    /// The internal value resolvers see and return; by default the name as a string.
    public let value: Value
    /// Why the value is deprecated, when it is.
    public let deprecationReason: String?
    /// The SDL definition, when built from SDL.
    public let astNode: EnumValueDefinitionNode?

    /// Creates an enum value; the internal value defaults to `.string(name)`.
    public init(
        name: String, value: Value? = nil, description: String? = nil, deprecationReason: String? = nil,
        astNode: EnumValueDefinitionNode? = nil
    ) {
        self.name = name
        self.description = description
        self.value = value ?? .string(name)
        self.deprecationReason = deprecationReason
        self.astNode = astNode
    }
}

/// An enum type, with the coercion rules of graphql-js `GraphQLEnumType`.
public final class GraphQLEnumType: Sendable {
    /// The type name.
    public let name: String
    /// The description.
    public let description: String?
    /// The values in definition order.
    public let values: NamedMap<GraphQLEnumValue>
    /// The SDL definition, when built from SDL.
    public let astNode: EnumTypeDefinitionNode?
    /// SDL extensions applied to the type.
    public let extensionASTNodes: [EnumTypeExtensionNode]
    private let nameByInternalValue: [Value: String]

    /// Creates an enum type.
    public init(
        name: String, values: [GraphQLEnumValue], description: String? = nil, astNode: EnumTypeDefinitionNode? = nil,
        extensionASTNodes: [EnumTypeExtensionNode] = []
    ) {
        self.name = name
        self.description = description
        self.values = NamedMap(values)
        self.astNode = astNode
        self.extensionASTNodes = extensionASTNodes
        var lookup: [Value: String] = [:]
        for value in values where lookup[value.value] == nil { lookup[value.value] = value.name }
        nameByInternalValue = lookup
    }

    /// The value named `name`.
    public func value(named name: String) -> GraphQLEnumValue? { values[name] }

    /// Output coercion: the name of the value whose internal value is `outputValue`.
    public func serialize(_ outputValue: Value) throws(GraphQLError) -> Value {
        guard let name = nameByInternalValue[outputValue] else {
            throw GraphQLError("Enum \"\(self.name)\" cannot represent value: \(inspect(outputValue))")
        }
        return .string(name)
    }

    /// Input coercion of a variable value: a string naming one of the values.
    public func parseValue(_ inputValue: Value) throws(GraphQLError) -> Value {
        guard case .string(let string) = inputValue else {
            let valueString = inspect(inputValue)
            throw GraphQLError(
                "Enum \"\(name)\" cannot represent non-string value: \(valueString)." + didYouMeanValue(valueString))
        }
        guard let enumValue = values[string] else {
            throw GraphQLError("Value \"\(string)\" does not exist in \"\(name)\" enum." + didYouMeanValue(string))
        }
        return enumValue.value
    }

    /// Input coercion of a literal: an enum value naming one of the values.
    public func parseLiteral(_ valueNode: ValueNode) throws(GraphQLError) -> Value {
        guard case .enumValue(let enumNode) = valueNode else {
            let valueString = print(valueNode)
            throw GraphQLError(
                "Enum \"\(name)\" cannot represent non-enum value: \(valueString)." + didYouMeanValue(valueString),
                at: [valueNode.loc])
        }
        guard let enumValue = values[enumNode.value] else {
            let valueString = print(valueNode)
            throw GraphQLError(
                "Value \"\(valueString)\" does not exist in \"\(name)\" enum." + didYouMeanValue(valueString),
                at: [valueNode.loc])
        }
        return enumValue.value
    }

    private func didYouMeanValue(_ input: String) -> String {
        didYouMean("the enum value", suggestionList(input, options: values.names))
    }
}
