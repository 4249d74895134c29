extension Parser {
    func peekDescription() -> Bool { peek(.string) || peek(.blockString) }

    /// Description : StringValue
    mutating func parseDescription() throws(SyntaxFailure) -> StringValueNode? {
        peekDescription() ? try parseStringLiteral() : nil
    }

    /// SchemaDefinition : Description? schema Directives[Const]? { OperationTypeDefinition+ }
    mutating func parseSchemaDefinition() throws(SyntaxFailure) -> SchemaDefinitionNode {
        let start = token
        let description = try parseDescription()
        try expectKeyword("schema")
        let directives = try parseDirectives(isConst: true)
        try expect(.braceL)
        var operationTypes: [OperationTypeDefinitionNode] = []
        repeat {
            operationTypes.append(try parseOperationTypeDefinition())
        } while try !expectOptional(.braceR)
        return SchemaDefinitionNode(
            description: description, directives: directives, operationTypes: operationTypes, loc: loc(start))
    }

    /// OperationTypeDefinition : OperationType : NamedType
    mutating func parseOperationTypeDefinition() throws(SyntaxFailure) -> OperationTypeDefinitionNode {
        let start = token
        let operation = try parseOperationType()
        try expect(.colon)
        let type = try parseNamedType()
        return OperationTypeDefinitionNode(operation: operation, type: type, loc: loc(start))
    }

    /// ScalarTypeDefinition : Description? scalar Name Directives[Const]?
    mutating func parseScalarTypeDefinition() throws(SyntaxFailure) -> ScalarTypeDefinitionNode {
        let start = token
        let description = try parseDescription()
        try expectKeyword("scalar")
        let name = try parseName()
        let directives = try parseDirectives(isConst: true)
        return ScalarTypeDefinitionNode(description: description, name: name, directives: directives, loc: loc(start))
    }

    /// ObjectTypeDefinition : Description? type Name ImplementsInterfaces? Directives[Const]? FieldsDefinition?
    mutating func parseObjectTypeDefinition() throws(SyntaxFailure) -> ObjectTypeDefinitionNode {
        let start = token
        let description = try parseDescription()
        try expectKeyword("type")
        let name = try parseName()
        let interfaces = try parseImplementsInterfaces()
        let directives = try parseDirectives(isConst: true)
        let fields = try parseFieldsDefinition()
        return ObjectTypeDefinitionNode(
            description: description, name: name, interfaces: interfaces, directives: directives, fields: fields,
            loc: loc(start))
    }

    /// ImplementsInterfaces : implements `&`? NamedType | ImplementsInterfaces & NamedType
    mutating func parseImplementsInterfaces() throws(SyntaxFailure) -> [NamedTypeNode] {
        guard try expectOptionalKeyword("implements") else { return [] }
        return try parseDelimitedNamedTypes(.amp)
    }

    /// A non-empty list of named types separated by `delimiter`, which may also lead (graphql-js `delimitedMany`).
    mutating func parseDelimitedNamedTypes(_ delimiter: TokenKind) throws(SyntaxFailure) -> [NamedTypeNode] {
        _ = try expectOptional(delimiter)
        var nodes: [NamedTypeNode] = []
        repeat {
            nodes.append(try parseNamedType())
        } while try expectOptional(delimiter)
        return nodes
    }

    /// FieldsDefinition : { FieldDefinition+ }
    mutating func parseFieldsDefinition() throws(SyntaxFailure) -> [FieldDefinitionNode] {
        guard try expectOptional(.braceL) else { return [] }
        var nodes: [FieldDefinitionNode] = []
        nodes.reserveCapacity(8)
        repeat {
            nodes.append(try parseFieldDefinition())
        } while try !expectOptional(.braceR)
        return nodes
    }

    /// FieldDefinition : Description? Name ArgumentsDefinition? : Type Directives[Const]?
    mutating func parseFieldDefinition() throws(SyntaxFailure) -> FieldDefinitionNode {
        let start = token
        let description = try parseDescription()
        let name = try parseName()
        let arguments = try parseArgumentDefinitions()
        try expect(.colon)
        let type = try parseTypeReference()
        let directives = try parseDirectives(isConst: true)
        return FieldDefinitionNode(
            description: description, name: name, arguments: arguments, type: type, directives: directives,
            loc: loc(start))
    }

    /// ArgumentsDefinition : ( InputValueDefinition+ )
    mutating func parseArgumentDefinitions() throws(SyntaxFailure) -> [InputValueDefinitionNode] {
        guard try expectOptional(.parenL) else { return [] }
        var nodes: [InputValueDefinitionNode] = []
        repeat {
            nodes.append(try parseInputValueDefinition())
        } while try !expectOptional(.parenR)
        return nodes
    }

    /// InputValueDefinition : Description? Name : Type DefaultValue? Directives[Const]?
    mutating func parseInputValueDefinition() throws(SyntaxFailure) -> InputValueDefinitionNode {
        let start = token
        let description = try parseDescription()
        let name = try parseName()
        try expect(.colon)
        let type = try parseTypeReference()
        var defaultValue: ValueNode?
        if try expectOptional(.equals) {
            defaultValue = try parseValueLiteral(isConst: true)
        }
        let directives = try parseDirectives(isConst: true)
        return InputValueDefinitionNode(
            description: description, name: name, type: type, defaultValue: defaultValue, directives: directives,
            loc: loc(start))
    }

    /// InterfaceTypeDefinition : Description? interface Name ImplementsInterfaces? Directives[Const]? FieldsDefinition?
    mutating func parseInterfaceTypeDefinition() throws(SyntaxFailure) -> InterfaceTypeDefinitionNode {
        let start = token
        let description = try parseDescription()
        try expectKeyword("interface")
        let name = try parseName()
        let interfaces = try parseImplementsInterfaces()
        let directives = try parseDirectives(isConst: true)
        let fields = try parseFieldsDefinition()
        return InterfaceTypeDefinitionNode(
            description: description, name: name, interfaces: interfaces, directives: directives, fields: fields,
            loc: loc(start))
    }

    /// UnionTypeDefinition : Description? union Name Directives[Const]? UnionMemberTypes?
    mutating func parseUnionTypeDefinition() throws(SyntaxFailure) -> UnionTypeDefinitionNode {
        let start = token
        let description = try parseDescription()
        try expectKeyword("union")
        let name = try parseName()
        let directives = try parseDirectives(isConst: true)
        let types = try parseUnionMemberTypes()
        return UnionTypeDefinitionNode(
            description: description, name: name, directives: directives, types: types, loc: loc(start))
    }

    /// UnionMemberTypes : = `|`? NamedType | UnionMemberTypes | NamedType
    mutating func parseUnionMemberTypes() throws(SyntaxFailure) -> [NamedTypeNode] {
        guard try expectOptional(.equals) else { return [] }
        return try parseDelimitedNamedTypes(.pipe)
    }

    /// EnumTypeDefinition : Description? enum Name Directives[Const]? EnumValuesDefinition?
    mutating func parseEnumTypeDefinition() throws(SyntaxFailure) -> EnumTypeDefinitionNode {
        let start = token
        let description = try parseDescription()
        try expectKeyword("enum")
        let name = try parseName()
        let directives = try parseDirectives(isConst: true)
        let values = try parseEnumValuesDefinition()
        return EnumTypeDefinitionNode(
            description: description, name: name, directives: directives, values: values, loc: loc(start))
    }

    /// EnumValuesDefinition : { EnumValueDefinition+ }
    mutating func parseEnumValuesDefinition() throws(SyntaxFailure) -> [EnumValueDefinitionNode] {
        guard try expectOptional(.braceL) else { return [] }
        var nodes: [EnumValueDefinitionNode] = []
        repeat {
            nodes.append(try parseEnumValueDefinition())
        } while try !expectOptional(.braceR)
        return nodes
    }

    /// EnumValueDefinition : Description? EnumValue Directives[Const]?
    mutating func parseEnumValueDefinition() throws(SyntaxFailure) -> EnumValueDefinitionNode {
        let start = token
        let description = try parseDescription()
        let name = try parseEnumValueName()
        let directives = try parseDirectives(isConst: true)
        return EnumValueDefinitionNode(description: description, name: name, directives: directives, loc: loc(start))
    }

    /// EnumValue : Name but not `true`, `false` or `null`
    mutating func parseEnumValueName() throws(SyntaxFailure) -> NameNode {
        if currentValue(equals: "true") || currentValue(equals: "false") || currentValue(equals: "null") {
            throw Parser.failure(
                token.start,
                "\(Parser.describe(token, tokenValue, lexer.bytes)) is reserved and cannot be used for an enum value.")
        }
        return try parseName()
    }

    /// InputObjectTypeDefinition : Description? input Name Directives[Const]? InputFieldsDefinition?
    mutating func parseInputObjectTypeDefinition() throws(SyntaxFailure) -> InputObjectTypeDefinitionNode {
        let start = token
        let description = try parseDescription()
        try expectKeyword("input")
        let name = try parseName()
        let directives = try parseDirectives(isConst: true)
        let fields = try parseInputFieldsDefinition()
        return InputObjectTypeDefinitionNode(
            description: description, name: name, directives: directives, fields: fields, loc: loc(start))
    }

    /// InputFieldsDefinition : { InputValueDefinition+ }
    mutating func parseInputFieldsDefinition() throws(SyntaxFailure) -> [InputValueDefinitionNode] {
        guard try expectOptional(.braceL) else { return [] }
        var nodes: [InputValueDefinitionNode] = []
        repeat {
            nodes.append(try parseInputValueDefinition())
        } while try !expectOptional(.braceR)
        return nodes
    }

    /// DirectiveDefinition : Description? directive @ Name ArgumentsDefinition? `repeatable`? on DirectiveLocations
    mutating func parseDirectiveDefinition() throws(SyntaxFailure) -> DirectiveDefinitionNode {
        let start = token
        let description = try parseDescription()
        try expectKeyword("directive")
        try expect(.at)
        let name = try parseName()
        let arguments = try parseArgumentDefinitions()
        let repeatable = try expectOptionalKeyword("repeatable")
        try expectKeyword("on")
        _ = try expectOptional(.pipe)
        var locations: [NameNode] = []
        repeat {
            locations.append(try parseDirectiveLocation())
        } while try expectOptional(.pipe)
        return DirectiveDefinitionNode(
            description: description, name: name, arguments: arguments, repeatable: repeatable, locations: locations,
            loc: loc(start))
    }

    /// DirectiveLocation : one of the executable or type system location names.
    mutating func parseDirectiveLocation() throws(SyntaxFailure) -> NameNode {
        let start = token
        let name = try parseName()
        if DirectiveLocation(rawValue: name.value) != nil {
            return name
        }
        throw unexpected(start)
    }
}
