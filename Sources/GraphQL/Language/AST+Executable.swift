/// `query Name($var: Type) @dir { … }` or the shorthand `{ … }`.
public struct OperationDefinitionNode: ASTNode {
    /// query, mutation or subscription.
    public var operation: OperationType
    /// The operation name, absent for anonymous operations.
    public var name: NameNode?
    /// Declared variables.
    public var variableDefinitions: [VariableDefinitionNode]
    /// Directives on the operation.
    public var directives: [DirectiveNode]
    /// The top-level selections.
    public var selectionSet: SelectionSetNode
    /// Where the operation was parsed from.
    public var loc: Location
}

/// `$name: Type = default @dir` inside an operation's variable list.
public struct VariableDefinitionNode: ASTNode {
    /// The variable being declared.
    public var variable: VariableNode
    /// Its declared type.
    public var type: TypeNode
    /// The constant default value, if any.
    public var defaultValue: ValueNode?
    /// Directives on the definition.
    public var directives: [DirectiveNode]
    /// Where the definition was parsed from.
    public var loc: Location
}

/// `$name`, a variable reference or declaration.
public struct VariableNode: ASTNode {
    /// The name without `$`.
    public var name: NameNode
    /// Where the variable was parsed from (starts at `$`).
    public var loc: Location
}

/// `{ selection … }`.
public struct SelectionSetNode: ASTNode {
    /// The selections, in source order.
    public var selections: [SelectionNode]
    /// Where the set was parsed from.
    public var loc: Location
}

/// One entry of a selection set.
public enum SelectionNode: ASTNode {
    /// `alias: name(args) @dir { … }`.
    case field(FieldNode)
    /// `...FragmentName @dir`.
    case fragmentSpread(FragmentSpreadNode)
    /// `... on Type @dir { … }`.
    case inlineFragment(InlineFragmentNode)

    /// The location of the selection.
    public var loc: Location {
        switch self {
        case .field(let node): return node.loc
        case .fragmentSpread(let node): return node.loc
        case .inlineFragment(let node): return node.loc
        }
    }

    /// The directives on the selection.
    public var directives: [DirectiveNode] {
        switch self {
        case .field(let node): return node.directives
        case .fragmentSpread(let node): return node.directives
        case .inlineFragment(let node): return node.directives
        }
    }
}

/// A field selection.
public struct FieldNode: ASTNode {
    /// The response key override, if any.
    public var alias: NameNode?
    /// The field name.
    public var name: NameNode
    /// Arguments in source order.
    public var arguments: [ArgumentNode]
    /// Directives in source order.
    public var directives: [DirectiveNode]
    /// Sub-selections, for fields of composite type.
    public var selectionSet: SelectionSetNode?
    /// Where the field was parsed from.
    public var loc: Location

    /// The key under which the field appears in the response: the alias if present, else the name.
    @inlinable public var responseKey: String { alias?.value ?? name.value }
}

/// `name: value` in a field or directive.
public struct ArgumentNode: ASTNode {
    /// The argument name.
    public var name: NameNode
    /// The argument value.
    public var value: ValueNode
    /// Where the argument was parsed from.
    public var loc: Location
}

/// `...FragmentName @dir`.
public struct FragmentSpreadNode: ASTNode {
    /// The fragment's name.
    public var name: NameNode
    /// Directives on the spread.
    public var directives: [DirectiveNode]
    /// Where the spread was parsed from.
    public var loc: Location
}

/// `... on Type @dir { … }`; the type condition is optional.
public struct InlineFragmentNode: ASTNode {
    /// The `on Type` condition, if any.
    public var typeCondition: NamedTypeNode?
    /// Directives on the fragment.
    public var directives: [DirectiveNode]
    /// The fragment's selections.
    public var selectionSet: SelectionSetNode
    /// Where the fragment was parsed from.
    public var loc: Location
}

/// `fragment Name on Type @dir { … }`.
public struct FragmentDefinitionNode: ASTNode {
    /// The fragment name (never `on`).
    public var name: NameNode
    /// The type condition.
    public var typeCondition: NamedTypeNode
    /// Directives on the definition.
    public var directives: [DirectiveNode]
    /// The fragment's selections.
    public var selectionSet: SelectionSetNode
    /// Where the definition was parsed from.
    public var loc: Location
}
