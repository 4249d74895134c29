/// Prints a document the way graphql-js `print` does; `parse(print(ast))` gives back the same tree.
public func print(_ document: DocumentNode) -> String { ASTPrinter.document(document) }

/// Prints one definition like graphql-js `print`.
public func print(_ definition: DefinitionNode) -> String { ASTPrinter.definition(definition) }

/// Prints a selection set like graphql-js `print`.
public func print(_ selectionSet: SelectionSetNode) -> String { ASTPrinter.selectionSet(selectionSet) }

/// Prints a value literal like graphql-js `print` (used in error messages such as `Int cannot represent …`).
public func print(_ value: ValueNode) -> String { ASTPrinter.value(value) }

/// Prints a type reference like graphql-js `print`: `[Int!]!`.
public func print(_ type: TypeNode) -> String { ASTPrinter.type(type) }

/// Prints a directive like graphql-js `print`: `@include(if: $x)`.
public func print(_ directive: DirectiveNode) -> String { ASTPrinter.directive(directive) }

/// Quotes a string as a GraphQL string literal, escaping like graphql-js `printString`.
public func printString(_ string: String) -> String {
    var result = "\""
    result.unicodeScalars.reserveCapacity(string.utf8.count + 2)
    for scalar in string.unicodeScalars {
        switch scalar.value {
        case 0x22: result += "\\\""
        case 0x5C: result += "\\\\"
        case 0x08: result += "\\b"
        case 0x09: result += "\\t"
        case 0x0A: result += "\\n"
        case 0x0C: result += "\\f"
        case 0x0D: result += "\\r"
        case 0x00...0x1F, 0x7F...0x9F:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default:
            result.unicodeScalars.append(scalar)
        }
    }
    result += "\""
    return result
}

/// The printing rules of graphql-js `printDocASTReducer`, applied bottom-up with the same helpers
/// (`join` drops empty parts, `wrap` prints nothing around an empty string, `block` indents).
enum ASTPrinter {
    static let maxLineLength = 80

    // MARK: Helpers

    static func join(_ parts: [String?], _ separator: String = "") -> String {
        var result = ""
        var first = true
        for case let part? in parts where !part.isEmpty {
            if !first { result += separator }
            first = false
            result += part
        }
        return result
    }

    static func wrap(_ start: String, _ string: String?, _ end: String = "") -> String {
        guard let string, !string.isEmpty else { return "" }
        return start + string + end
    }

    static func indent(_ string: String) -> String {
        wrap("  ", string.replacingAll("\n", with: "\n  "))
    }

    static func block(_ items: [String]) -> String {
        wrap("{\n", indent(join(items, "\n")), "\n}")
    }

    static func hasMultilineItems(_ items: [String]) -> Bool {
        items.contains { $0.utf8.contains(0x0A) }
    }

    static func directives(_ nodes: [DirectiveNode]) -> String {
        join(nodes.map(directive), " ")
    }

    static func description(_ node: StringValueNode?) -> String {
        wrap("", node.map(stringValue), "\n")
    }

    static func argumentDefinitions(_ nodes: [InputValueDefinitionNode]) -> String {
        let args = nodes.map(inputValueDefinition)
        return hasMultilineItems(args) ? wrap("(\n", indent(join(args, "\n")), "\n)") : wrap("(", join(args, ", "), ")")
    }

    static func namedTypes(_ nodes: [NamedTypeNode], _ separator: String) -> String {
        join(nodes.map { $0.name.value }, separator)
    }

    // MARK: Executable definitions

    static func document(_ node: DocumentNode) -> String {
        join(node.definitions.map(definition), "\n\n")
    }

    static func definition(_ node: DefinitionNode) -> String {
        switch node {
        case .operation(let operation): return operationDefinition(operation)
        case .fragment(let fragment): return fragmentDefinition(fragment)
        case .schema(let schema): return schemaDefinition(schema)
        case .type(let type): return typeDefinition(type)
        case .directive(let directive): return directiveDefinition(directive)
        case .schemaExtension(let schemaExtension): return self.schemaExtension(schemaExtension)
        case .typeExtension(let typeExtension): return self.typeExtension(typeExtension)
        }
    }

    static func operationDefinition(_ node: OperationDefinitionNode) -> String {
        let varDefs = wrap("(", join(node.variableDefinitions.map(variableDefinition), ", "), ")")
        let prefix = join([node.operation.rawValue, join([node.name?.value, varDefs]), directives(node.directives)], " ")
        return (prefix == "query" ? "" : prefix + " ") + selectionSet(node.selectionSet)
    }

    static func variableDefinition(_ node: VariableDefinitionNode) -> String {
        "$" + node.variable.name.value + ": " + type(node.type) + wrap(" = ", node.defaultValue.map(value))
            + wrap(" ", directives(node.directives))
    }

    static func selectionSet(_ node: SelectionSetNode) -> String {
        block(node.selections.map(selection))
    }

    static func selection(_ node: SelectionNode) -> String {
        switch node {
        case .field(let field):
            return self.field(field)
        case .fragmentSpread(let spread):
            return "..." + spread.name.value + wrap(" ", directives(spread.directives))
        case .inlineFragment(let fragment):
            return join(
                [
                    "...", wrap("on ", fragment.typeCondition?.name.value), directives(fragment.directives),
                    selectionSet(fragment.selectionSet),
                ], " ")
        }
    }

    static func field(_ node: FieldNode) -> String {
        let prefix = wrap("", node.alias?.value, ": ") + node.name.value
        let args = node.arguments.map(argument)
        var argsLine = prefix + wrap("(", join(args, ", "), ")")
        if argsLine.utf16.count > maxLineLength {
            argsLine = prefix + wrap("(\n", indent(join(args, "\n")), "\n)")
        }
        return join([argsLine, directives(node.directives), node.selectionSet.map(selectionSet)], " ")
    }

    static func argument(_ node: ArgumentNode) -> String {
        node.name.value + ": " + value(node.value)
    }

    static func fragmentDefinition(_ node: FragmentDefinitionNode) -> String {
        "fragment \(node.name.value) on \(node.typeCondition.name.value) "
            + wrap("", directives(node.directives), " ") + selectionSet(node.selectionSet)
    }

    // MARK: Values, directives, types

    static func value(_ node: ValueNode) -> String {
        switch node {
        case .variable(let variable): return "$" + variable.name.value
        case .int(let int): return int.value
        case .float(let float): return float.value
        case .string(let string): return stringValue(string)
        case .boolean(let boolean): return boolean.value ? "true" : "false"
        case .null: return "null"
        case .enumValue(let enumValue): return enumValue.value
        case .list(let list): return "[" + join(list.values.map(value), ", ") + "]"
        case .object(let object):
            return "{" + join(object.fields.map { $0.name.value + ": " + value($0.value) }, ", ") + "}"
        }
    }

    static func stringValue(_ node: StringValueNode) -> String {
        node.block ? BlockString.print(node.value) : printString(node.value)
    }

    static func directive(_ node: DirectiveNode) -> String {
        "@" + node.name.value + wrap("(", join(node.arguments.map(argument), ", "), ")")
    }

    static func type(_ node: TypeNode) -> String {
        switch node {
        case .named(let named): return named.name.value
        case .list(let list): return "[" + type(list.type) + "]"
        case .nonNull(let nonNull): return type(nonNull.type) + "!"
        }
    }
}
