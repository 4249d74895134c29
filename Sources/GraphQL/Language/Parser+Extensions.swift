extension Parser {
    /// TypeSystemExtension : SchemaExtension | TypeExtension
    mutating func parseTypeSystemExtension() throws(SyntaxFailure) -> DefinitionNode {
        let (keywordToken, keywordValue) = try lookahead()
        if keywordToken.kind == .name {
            if isKeyword(keywordToken, "schema") { return .schemaExtension(try parseSchemaExtension()) }
            if isKeyword(keywordToken, "scalar") { return .typeExtension(.scalar(try parseScalarTypeExtension())) }
            if isKeyword(keywordToken, "type") { return .typeExtension(.object(try parseObjectTypeExtension())) }
            if isKeyword(keywordToken, "interface") {
                return .typeExtension(.interface(try parseInterfaceTypeExtension()))
            }
            if isKeyword(keywordToken, "union") { return .typeExtension(.union(try parseUnionTypeExtension())) }
            if isKeyword(keywordToken, "enum") { return .typeExtension(.enumType(try parseEnumTypeExtension())) }
            if isKeyword(keywordToken, "input") {
                return .typeExtension(.inputObject(try parseInputObjectTypeExtension()))
            }
        }
        throw unexpected(keywordToken, value: keywordValue)
    }

    /// SchemaExtension : extend schema Directives[Const]? { OperationTypeDefinition+ } | extend schema Directives[Const]
    mutating func parseSchemaExtension() throws(SyntaxFailure) -> SchemaExtensionNode {
        let start = token
        try expectKeyword("extend")
        try expectKeyword("schema")
        let directives = try parseDirectives(isConst: true)
        var operationTypes: [OperationTypeDefinitionNode] = []
        if try expectOptional(.braceL) {
            repeat {
                operationTypes.append(try parseOperationTypeDefinition())
            } while try !expectOptional(.braceR)
        }
        if directives.isEmpty && operationTypes.isEmpty {
            throw unexpected()
        }
        return SchemaExtensionNode(directives: directives, operationTypes: operationTypes, loc: loc(start))
    }

    /// ScalarTypeExtension : extend scalar Name Directives[Const]
    mutating func parseScalarTypeExtension() throws(SyntaxFailure) -> ScalarTypeExtensionNode {
        let start = token
        try expectKeyword("extend")
        try expectKeyword("scalar")
        let name = try parseName()
        let directives = try parseDirectives(isConst: true)
        if directives.isEmpty {
            throw unexpected()
        }
        return ScalarTypeExtensionNode(name: name, directives: directives, loc: loc(start))
    }

    /// ObjectTypeExtension : extend type Name ImplementsInterfaces? Directives[Const]? FieldsDefinition?
    /// (at least one part present)
    mutating func parseObjectTypeExtension() throws(SyntaxFailure) -> ObjectTypeExtensionNode {
        let start = token
        try expectKeyword("extend")
        try expectKeyword("type")
        let name = try parseName()
        let interfaces = try parseImplementsInterfaces()
        let directives = try parseDirectives(isConst: true)
        let fields = try parseFieldsDefinition()
        if interfaces.isEmpty && directives.isEmpty && fields.isEmpty {
            throw unexpected()
        }
        return ObjectTypeExtensionNode(
            name: name, interfaces: interfaces, directives: directives, fields: fields, loc: loc(start))
    }

    /// InterfaceTypeExtension : extend interface Name ImplementsInterfaces? Directives[Const]? FieldsDefinition?
    /// (at least one part present)
    mutating func parseInterfaceTypeExtension() throws(SyntaxFailure) -> InterfaceTypeExtensionNode {
        let start = token
        try expectKeyword("extend")
        try expectKeyword("interface")
        let name = try parseName()
        let interfaces = try parseImplementsInterfaces()
        let directives = try parseDirectives(isConst: true)
        let fields = try parseFieldsDefinition()
        if interfaces.isEmpty && directives.isEmpty && fields.isEmpty {
            throw unexpected()
        }
        return InterfaceTypeExtensionNode(
            name: name, interfaces: interfaces, directives: directives, fields: fields, loc: loc(start))
    }

    /// UnionTypeExtension : extend union Name Directives[Const]? UnionMemberTypes | extend union Name Directives[Const]
    mutating func parseUnionTypeExtension() throws(SyntaxFailure) -> UnionTypeExtensionNode {
        let start = token
        try expectKeyword("extend")
        try expectKeyword("union")
        let name = try parseName()
        let directives = try parseDirectives(isConst: true)
        let types = try parseUnionMemberTypes()
        if directives.isEmpty && types.isEmpty {
            throw unexpected()
        }
        return UnionTypeExtensionNode(name: name, directives: directives, types: types, loc: loc(start))
    }

    /// EnumTypeExtension : extend enum Name Directives[Const]? EnumValuesDefinition | extend enum Name Directives[Const]
    mutating func parseEnumTypeExtension() throws(SyntaxFailure) -> EnumTypeExtensionNode {
        let start = token
        try expectKeyword("extend")
        try expectKeyword("enum")
        let name = try parseName()
        let directives = try parseDirectives(isConst: true)
        let values = try parseEnumValuesDefinition()
        if directives.isEmpty && values.isEmpty {
            throw unexpected()
        }
        return EnumTypeExtensionNode(name: name, directives: directives, values: values, loc: loc(start))
    }

    /// InputObjectTypeExtension : extend input Name Directives[Const]? InputFieldsDefinition
    /// | extend input Name Directives[Const]
    mutating func parseInputObjectTypeExtension() throws(SyntaxFailure) -> InputObjectTypeExtensionNode {
        let start = token
        try expectKeyword("extend")
        try expectKeyword("input")
        let name = try parseName()
        let directives = try parseDirectives(isConst: true)
        let fields = try parseInputFieldsDefinition()
        if directives.isEmpty && fields.isEmpty {
            throw unexpected()
        }
        return InputObjectTypeExtensionNode(name: name, directives: directives, fields: fields, loc: loc(start))
    }
}
