/// An input value literal.
public enum ValueNode: ASTNode {
    /// `$name` (never inside constant values).
    case variable(VariableNode)
    /// An integer literal, kept as written.
    case int(IntValueNode)
    /// A float literal, kept as written.
    case float(FloatValueNode)
    /// A quoted or block string.
    case string(StringValueNode)
    /// `true` or `false`.
    case boolean(BooleanValueNode)
    /// `null`.
    case null(NullValueNode)
    /// Any other bare name.
    case enumValue(EnumValueNode)
    /// `[ … ]`.
    case list(ListValueNode)
    /// `{ name: value … }`.
    case object(ObjectValueNode)

    /// The location of the literal.
    public var loc: Location {
        switch self {
        case .variable(let node): return node.loc
        case .int(let node): return node.loc
        case .float(let node): return node.loc
        case .string(let node): return node.loc
        case .boolean(let node): return node.loc
        case .null(let node): return node.loc
        case .enumValue(let node): return node.loc
        case .list(let node): return node.loc
        case .object(let node): return node.loc
        }
    }
}

/// An integer literal; `value` is the source text (which may exceed 32 bits).
public struct IntValueNode: ASTNode {
    /// The digits as written, with optional leading `-`.
    public var value: String
    /// Where the literal was parsed from.
    public var loc: Location
}

/// A float literal; `value` is the source text.
public struct FloatValueNode: ASTNode {
    /// The number as written.
    public var value: String
    /// Where the literal was parsed from.
    public var loc: Location
}

/// A string literal with escapes resolved (and, for block strings, indentation removed).
public struct StringValueNode: ASTNode {
    /// The string's value.
    public var value: String
    /// True when written as a `"""block string"""`.
    public var block: Bool
    /// Where the literal was parsed from.
    public var loc: Location
}

/// `true` or `false`.
public struct BooleanValueNode: ASTNode {
    /// The boolean.
    public var value: Bool
    /// Where the literal was parsed from.
    public var loc: Location
}

/// `null`.
public struct NullValueNode: ASTNode {
    /// Where the literal was parsed from.
    public var loc: Location
}

/// An enum value: any name other than `true`, `false` and `null`.
public struct EnumValueNode: ASTNode {
    /// The enum value's name.
    public var value: String
    /// Where the literal was parsed from.
    public var loc: Location
}

/// `[ value … ]`.
public struct ListValueNode: ASTNode {
    /// The elements.
    public var values: [ValueNode]
    /// Where the list was parsed from.
    public var loc: Location
}

/// `{ name: value … }`.
public struct ObjectValueNode: ASTNode {
    /// The fields in source order (duplicates are kept; validation reports them).
    public var fields: [ObjectFieldNode]
    /// Where the object was parsed from.
    public var loc: Location
}

/// `name: value` inside an object literal.
public struct ObjectFieldNode: ASTNode {
    /// The field name.
    public var name: NameNode
    /// The field value.
    public var value: ValueNode
    /// Where the field was parsed from.
    public var loc: Location
}

/// `@name(args)`.
public struct DirectiveNode: ASTNode {
    /// The directive name without `@`.
    public var name: NameNode
    /// Arguments in source order.
    public var arguments: [ArgumentNode]
    /// Where the directive was parsed from (starts at `@`).
    public var loc: Location
}

/// A type reference: `Name`, `[Type]` or `Type!`.
public enum TypeNode: ASTNode {
    /// A named type.
    case named(NamedTypeNode)
    /// `[Type]`.
    indirect case list(ListTypeNode)
    /// `Type!`.
    indirect case nonNull(NonNullTypeNode)

    /// The location of the type reference.
    public var loc: Location {
        switch self {
        case .named(let node): return node.loc
        case .list(let node): return node.loc
        case .nonNull(let node): return node.loc
        }
    }

    /// The innermost named type.
    public var namedType: NamedTypeNode {
        switch self {
        case .named(let node): return node
        case .list(let node): return node.type.namedType
        case .nonNull(let node): return node.type.namedType
        }
    }
}

/// A type referenced by name.
public struct NamedTypeNode: ASTNode {
    /// The type name.
    public var name: NameNode
    /// Where the reference was parsed from.
    public var loc: Location
}

/// `[Type]`.
public struct ListTypeNode: ASTNode {
    /// The element type.
    public var type: TypeNode
    /// Where the reference was parsed from.
    public var loc: Location
}

/// `Type!`; the wrapped type is never itself non-null.
public struct NonNullTypeNode: ASTNode {
    /// The nullable type being wrapped.
    public var type: TypeNode
    /// Where the reference was parsed from.
    public var loc: Location
}
