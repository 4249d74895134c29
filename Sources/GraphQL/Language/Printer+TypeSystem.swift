extension ASTPrinter {
    static func schemaDefinition(_ node: SchemaDefinitionNode) -> String {
        description(node.description)
            + join(["schema", directives(node.directives), block(node.operationTypes.map(operationTypeDefinition))], " ")
    }

    static func operationTypeDefinition(_ node: OperationTypeDefinitionNode) -> String {
        node.operation.rawValue + ": " + node.type.name.value
    }

    static func typeDefinition(_ node: TypeDefinitionNode) -> String {
        switch node {
        case .scalar(let scalar):
            return description(scalar.description)
                + join(["scalar", scalar.name.value, directives(scalar.directives)], " ")
        case .object(let object):
            return description(object.description)
                + join(
                    [
                        "type", object.name.value, wrap("implements ", namedTypes(object.interfaces, " & ")),
                        directives(object.directives), block(object.fields.map(fieldDefinition)),
                    ], " ")
        case .interface(let interface):
            return description(interface.description)
                + join(
                    [
                        "interface", interface.name.value, wrap("implements ", namedTypes(interface.interfaces, " & ")),
                        directives(interface.directives), block(interface.fields.map(fieldDefinition)),
                    ], " ")
        case .union(let union):
            return description(union.description)
                + join(
                    ["union", union.name.value, directives(union.directives), wrap("= ", namedTypes(union.types, " | "))],
                    " ")
        case .enumType(let enumType):
            return description(enumType.description)
                + join(
                    [
                        "enum", enumType.name.value, directives(enumType.directives),
                        block(enumType.values.map(enumValueDefinition)),
                    ], " ")
        case .inputObject(let input):
            return description(input.description)
                + join(
                    [
                        "input", input.name.value, directives(input.directives),
                        block(input.fields.map(inputValueDefinition)),
                    ], " ")
        }
    }

    static func fieldDefinition(_ node: FieldDefinitionNode) -> String {
        description(node.description) + node.name.value + argumentDefinitions(node.arguments) + ": " + type(node.type)
            + wrap(" ", directives(node.directives))
    }

    static func inputValueDefinition(_ node: InputValueDefinitionNode) -> String {
        description(node.description)
            + join(
                [
                    node.name.value + ": " + type(node.type), wrap("= ", node.defaultValue.map(value)),
                    directives(node.directives),
                ], " ")
    }

    static func enumValueDefinition(_ node: EnumValueDefinitionNode) -> String {
        description(node.description) + join([node.name.value, directives(node.directives)], " ")
    }

    static func directiveDefinition(_ node: DirectiveDefinitionNode) -> String {
        description(node.description) + "directive @" + node.name.value + argumentDefinitions(node.arguments)
            + (node.repeatable ? " repeatable" : "") + " on " + join(node.locations.map(\.value), " | ")
    }

    static func schemaExtension(_ node: SchemaExtensionNode) -> String {
        join(
            ["extend schema", directives(node.directives), block(node.operationTypes.map(operationTypeDefinition))],
            " ")
    }

    static func typeExtension(_ node: TypeExtensionNode) -> String {
        switch node {
        case .scalar(let scalar):
            return join(["extend scalar", scalar.name.value, directives(scalar.directives)], " ")
        case .object(let object):
            return join(
                [
                    "extend type", object.name.value, wrap("implements ", namedTypes(object.interfaces, " & ")),
                    directives(object.directives), block(object.fields.map(fieldDefinition)),
                ], " ")
        case .interface(let interface):
            return join(
                [
                    "extend interface", interface.name.value, wrap("implements ", namedTypes(interface.interfaces, " & ")),
                    directives(interface.directives), block(interface.fields.map(fieldDefinition)),
                ], " ")
        case .union(let union):
            return join(
                [
                    "extend union", union.name.value, directives(union.directives),
                    wrap("= ", namedTypes(union.types, " | ")),
                ], " ")
        case .enumType(let enumType):
            return join(
                [
                    "extend enum", enumType.name.value, directives(enumType.directives),
                    block(enumType.values.map(enumValueDefinition)),
                ], " ")
        case .inputObject(let input):
            return join(
                [
                    "extend input", input.name.value, directives(input.directives),
                    block(input.fields.map(inputValueDefinition)),
                ], " ")
        }
    }
}
