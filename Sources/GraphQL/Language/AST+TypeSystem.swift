/// `"description" schema @dir { query: Query … }`.
public struct SchemaDefinitionNode: ASTNode {
    /// The schema description.
    public var description: StringValueNode?
    /// Directives on the schema.
    public var directives: [DirectiveNode]
    /// The root operation types.
    public var operationTypes: [OperationTypeDefinitionNode]
    /// Where the definition was parsed from.
    public var loc: Location
}

/// `query: TypeName` inside a schema definition or extension.
public struct OperationTypeDefinitionNode: ASTNode {
    /// Which root.
    public var operation: OperationType
    /// The root type.
    public var type: NamedTypeNode
    /// Where the entry was parsed from.
    public var loc: Location
}

/// A named type definition.
public enum TypeDefinitionNode: ASTNode {
    /// `scalar Name`.
    case scalar(ScalarTypeDefinitionNode)
    /// `type Name implements … { fields }`.
    case object(ObjectTypeDefinitionNode)
    /// `interface Name implements … { fields }`.
    case interface(InterfaceTypeDefinitionNode)
    /// `union Name = A | B`.
    case union(UnionTypeDefinitionNode)
    /// `enum Name { VALUES }`.
    case enumType(EnumTypeDefinitionNode)
    /// `input Name { fields }`.
    case inputObject(InputObjectTypeDefinitionNode)

    /// The defined type's name.
    public var name: NameNode {
        switch self {
        case .scalar(let node): return node.name
        case .object(let node): return node.name
        case .interface(let node): return node.name
        case .union(let node): return node.name
        case .enumType(let node): return node.name
        case .inputObject(let node): return node.name
        }
    }

    /// The location of the definition.
    public var loc: Location {
        switch self {
        case .scalar(let node): return node.loc
        case .object(let node): return node.loc
        case .interface(let node): return node.loc
        case .union(let node): return node.loc
        case .enumType(let node): return node.loc
        case .inputObject(let node): return node.loc
        }
    }

    /// The directives on the definition.
    public var directives: [DirectiveNode] {
        switch self {
        case .scalar(let node): return node.directives
        case .object(let node): return node.directives
        case .interface(let node): return node.directives
        case .union(let node): return node.directives
        case .enumType(let node): return node.directives
        case .inputObject(let node): return node.directives
        }
    }
}

/// `"description" scalar Name @dir`.
public struct ScalarTypeDefinitionNode: ASTNode {
    /// The description.
    public var description: StringValueNode?
    /// The type name.
    public var name: NameNode
    /// Directives on the type.
    public var directives: [DirectiveNode]
    /// Where the definition was parsed from.
    public var loc: Location
}

/// `"description" type Name implements A & B @dir { fields }`.
public struct ObjectTypeDefinitionNode: ASTNode {
    /// The description.
    public var description: StringValueNode?
    /// The type name.
    public var name: NameNode
    /// Implemented interfaces.
    public var interfaces: [NamedTypeNode]
    /// Directives on the type.
    public var directives: [DirectiveNode]
    /// Field definitions.
    public var fields: [FieldDefinitionNode]
    /// Where the definition was parsed from.
    public var loc: Location
}

/// `"description" name(args): Type @dir` inside an object or interface.
public struct FieldDefinitionNode: ASTNode {
    /// The description.
    public var description: StringValueNode?
    /// The field name.
    public var name: NameNode
    /// Argument definitions.
    public var arguments: [InputValueDefinitionNode]
    /// The field's type.
    public var type: TypeNode
    /// Directives on the field.
    public var directives: [DirectiveNode]
    /// Where the definition was parsed from.
    public var loc: Location
}

/// `"description" name: Type = default @dir`: an argument or input field definition.
public struct InputValueDefinitionNode: ASTNode {
    /// The description.
    public var description: StringValueNode?
    /// The argument or field name.
    public var name: NameNode
    /// Its type.
    public var type: TypeNode
    /// The constant default value, if any.
    public var defaultValue: ValueNode?
    /// Directives on it.
    public var directives: [DirectiveNode]
    /// Where the definition was parsed from.
    public var loc: Location
}

/// `"description" interface Name implements A @dir { fields }`.
public struct InterfaceTypeDefinitionNode: ASTNode {
    /// The description.
    public var description: StringValueNode?
    /// The type name.
    public var name: NameNode
    /// Interfaces this interface implements.
    public var interfaces: [NamedTypeNode]
    /// Directives on the type.
    public var directives: [DirectiveNode]
    /// Field definitions.
    public var fields: [FieldDefinitionNode]
    /// Where the definition was parsed from.
    public var loc: Location
}

/// `"description" union Name @dir = A | B`.
public struct UnionTypeDefinitionNode: ASTNode {
    /// The description.
    public var description: StringValueNode?
    /// The type name.
    public var name: NameNode
    /// Directives on the type.
    public var directives: [DirectiveNode]
    /// Member types.
    public var types: [NamedTypeNode]
    /// Where the definition was parsed from.
    public var loc: Location
}

/// `"description" enum Name @dir { VALUES }`.
public struct EnumTypeDefinitionNode: ASTNode {
    /// The description.
    public var description: StringValueNode?
    /// The type name.
    public var name: NameNode
    /// Directives on the type.
    public var directives: [DirectiveNode]
    /// Value definitions.
    public var values: [EnumValueDefinitionNode]
    /// Where the definition was parsed from.
    public var loc: Location
}

/// `"description" VALUE @dir` inside an enum.
public struct EnumValueDefinitionNode: ASTNode {
    /// The description.
    public var description: StringValueNode?
    /// The value name.
    public var name: NameNode
    /// Directives on the value.
    public var directives: [DirectiveNode]
    /// Where the definition was parsed from.
    public var loc: Location
}

/// `"description" input Name @dir { fields }`.
public struct InputObjectTypeDefinitionNode: ASTNode {
    /// The description.
    public var description: StringValueNode?
    /// The type name.
    public var name: NameNode
    /// Directives on the type.
    public var directives: [DirectiveNode]
    /// Input field definitions.
    public var fields: [InputValueDefinitionNode]
    /// Where the definition was parsed from.
    public var loc: Location
}

/// `"description" directive @name(args) repeatable on LOCATION | …`.
public struct DirectiveDefinitionNode: ASTNode {
    /// The description.
    public var description: StringValueNode?
    /// The directive name without `@`.
    public var name: NameNode
    /// Argument definitions.
    public var arguments: [InputValueDefinitionNode]
    /// True if the directive may appear more than once per location.
    public var repeatable: Bool
    /// The allowed locations, as written.
    public var locations: [NameNode]
    /// Where the definition was parsed from.
    public var loc: Location
}

/// `extend schema @dir { … }`.
public struct SchemaExtensionNode: ASTNode {
    /// Added directives.
    public var directives: [DirectiveNode]
    /// Added root operation types.
    public var operationTypes: [OperationTypeDefinitionNode]
    /// Where the extension was parsed from.
    public var loc: Location
}

/// A type extension.
public enum TypeExtensionNode: ASTNode {
    /// `extend scalar`.
    case scalar(ScalarTypeExtensionNode)
    /// `extend type`.
    case object(ObjectTypeExtensionNode)
    /// `extend interface`.
    case interface(InterfaceTypeExtensionNode)
    /// `extend union`.
    case union(UnionTypeExtensionNode)
    /// `extend enum`.
    case enumType(EnumTypeExtensionNode)
    /// `extend input`.
    case inputObject(InputObjectTypeExtensionNode)

    /// The extended type's name.
    public var name: NameNode {
        switch self {
        case .scalar(let node): return node.name
        case .object(let node): return node.name
        case .interface(let node): return node.name
        case .union(let node): return node.name
        case .enumType(let node): return node.name
        case .inputObject(let node): return node.name
        }
    }

    /// The location of the extension.
    public var loc: Location {
        switch self {
        case .scalar(let node): return node.loc
        case .object(let node): return node.loc
        case .interface(let node): return node.loc
        case .union(let node): return node.loc
        case .enumType(let node): return node.loc
        case .inputObject(let node): return node.loc
        }
    }

    /// The directives added by the extension.
    public var directives: [DirectiveNode] {
        switch self {
        case .scalar(let node): return node.directives
        case .object(let node): return node.directives
        case .interface(let node): return node.directives
        case .union(let node): return node.directives
        case .enumType(let node): return node.directives
        case .inputObject(let node): return node.directives
        }
    }
}

/// `extend scalar Name @dir`.
public struct ScalarTypeExtensionNode: ASTNode {
    /// The extended type.
    public var name: NameNode
    /// Added directives.
    public var directives: [DirectiveNode]
    /// Where the extension was parsed from.
    public var loc: Location
}

/// `extend type Name implements … @dir { fields }`.
public struct ObjectTypeExtensionNode: ASTNode {
    /// The extended type.
    public var name: NameNode
    /// Added interfaces.
    public var interfaces: [NamedTypeNode]
    /// Added directives.
    public var directives: [DirectiveNode]
    /// Added fields.
    public var fields: [FieldDefinitionNode]
    /// Where the extension was parsed from.
    public var loc: Location
}

/// `extend interface Name implements … @dir { fields }`.
public struct InterfaceTypeExtensionNode: ASTNode {
    /// The extended type.
    public var name: NameNode
    /// Added interfaces.
    public var interfaces: [NamedTypeNode]
    /// Added directives.
    public var directives: [DirectiveNode]
    /// Added fields.
    public var fields: [FieldDefinitionNode]
    /// Where the extension was parsed from.
    public var loc: Location
}

/// `extend union Name @dir = A | B`.
public struct UnionTypeExtensionNode: ASTNode {
    /// The extended type.
    public var name: NameNode
    /// Added directives.
    public var directives: [DirectiveNode]
    /// Added member types.
    public var types: [NamedTypeNode]
    /// Where the extension was parsed from.
    public var loc: Location
}

/// `extend enum Name @dir { VALUES }`.
public struct EnumTypeExtensionNode: ASTNode {
    /// The extended type.
    public var name: NameNode
    /// Added directives.
    public var directives: [DirectiveNode]
    /// Added values.
    public var values: [EnumValueDefinitionNode]
    /// Where the extension was parsed from.
    public var loc: Location
}

/// `extend input Name @dir { fields }`.
public struct InputObjectTypeExtensionNode: ASTNode {
    /// The extended type.
    public var name: NameNode
    /// Added directives.
    public var directives: [DirectiveNode]
    /// Added input fields.
    public var fields: [InputValueDefinitionNode]
    /// Where the extension was parsed from.
    public var loc: Location
}
