extension Parser {
    /// Value[Const] : Variable | Int | Float | String | Boolean | Null | Enum | List | Object
    @inline(never)
    mutating func parseValueLiteral(isConst: Bool) throws(SyntaxFailure) -> ValueNode {
        let start = token
        switch start.kind {
        case .bracketL:
            return .list(try parseList(isConst: isConst))
        case .braceL:
            return .object(try parseObject(isConst: isConst))
        case .int:
            try advance()
            return .int(IntValueNode(value: lexer.text(start.start, start.end), loc: loc(start)))
        case .float:
            try advance()
            return .float(FloatValueNode(value: lexer.text(start.start, start.end), loc: loc(start)))
        case .string, .blockString:
            return .string(try parseStringLiteral())
        case .name:
            try advance()
            if isKeyword(start, "true") { return .boolean(BooleanValueNode(value: true, loc: loc(start))) }
            if isKeyword(start, "false") { return .boolean(BooleanValueNode(value: false, loc: loc(start))) }
            if isKeyword(start, "null") { return .null(NullValueNode(loc: loc(start))) }
            return .enumValue(EnumValueNode(value: lexer.text(start.start, start.end), loc: loc(start)))
        case .dollar:
            if isConst {
                try expect(.dollar)
                if token.kind == .name {
                    let variableName = lexer.text(token.start, token.end)
                    throw Parser.failure(start.start, "Unexpected variable \"$\(variableName)\" in constant value.")
                }
                throw unexpected(start)
            }
            return .variable(try parseVariable())
        default:
            throw unexpected()
        }
    }

    /// StringValue (quoted or block).
    mutating func parseStringLiteral() throws(SyntaxFailure) -> StringValueNode {
        let start = token
        let value = tokenValue ?? ""
        try advance()
        return StringValueNode(value: value, block: start.kind == .blockString, loc: loc(start))
    }

    /// ListValue[Const] : [ ] | [ Value[?Const]+ ]
    @inline(never)
    mutating func parseList(isConst: Bool) throws(SyntaxFailure) -> ListValueNode {
        let start = token
        try enterNesting()
        try expect(.bracketL)
        var values: [ValueNode] = []
        while try !expectOptional(.bracketR) {
            values.append(try parseValueLiteral(isConst: isConst))
        }
        leaveNesting()
        return ListValueNode(values: values, loc: loc(start))
    }

    /// ObjectValue[Const] : { } | { ObjectField[?Const]+ }
    @inline(never)
    mutating func parseObject(isConst: Bool) throws(SyntaxFailure) -> ObjectValueNode {
        let start = token
        try enterNesting()
        try expect(.braceL)
        var fields: [ObjectFieldNode] = []
        while try !expectOptional(.braceR) {
            fields.append(try parseObjectField(isConst: isConst))
        }
        leaveNesting()
        return ObjectValueNode(fields: fields, loc: loc(start))
    }

    /// ObjectField[Const] : Name : Value[?Const]
    @inline(never)
    mutating func parseObjectField(isConst: Bool) throws(SyntaxFailure) -> ObjectFieldNode {
        let start = token
        let name = try parseName()
        try expect(.colon)
        let value = try parseValueLiteral(isConst: isConst)
        return ObjectFieldNode(name: name, value: value, loc: loc(start))
    }

    /// Directives[Const] : Directive[?Const]+
    mutating func parseDirectives(isConst: Bool) throws(SyntaxFailure) -> [DirectiveNode] {
        guard peek(.at) else { return [] }
        var directives: [DirectiveNode] = []
        while peek(.at) {
            directives.append(try parseDirective(isConst: isConst))
        }
        return directives
    }

    /// Directive[Const] : @ Name Arguments[?Const]?
    mutating func parseDirective(isConst: Bool) throws(SyntaxFailure) -> DirectiveNode {
        let start = token
        try expect(.at)
        let name = try parseName()
        let arguments = try parseArguments(isConst: isConst)
        return DirectiveNode(name: name, arguments: arguments, loc: loc(start))
    }

    /// Type : NamedType | ListType | NonNullType
    @inline(never)
    mutating func parseTypeReference() throws(SyntaxFailure) -> TypeNode {
        let start = token
        let type: TypeNode
        if peek(.bracketL) {
            try enterNesting()
            try advance()
            let innerType = try parseTypeReference()
            try expect(.bracketR)
            leaveNesting()
            type = .list(ListTypeNode(type: innerType, loc: loc(start)))
        } else {
            type = .named(try parseNamedType())
        }
        if try expectOptional(.bang) {
            return .nonNull(NonNullTypeNode(type: type, loc: loc(start)))
        }
        return type
    }

    /// NamedType : Name
    mutating func parseNamedType() throws(SyntaxFailure) -> NamedTypeNode {
        let start = token
        let name = try parseName()
        return NamedTypeNode(name: name, loc: loc(start))
    }
}
