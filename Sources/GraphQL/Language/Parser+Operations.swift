extension Parser {
    /// Name
    @inline(__always) mutating func parseName() throws(SyntaxFailure) -> NameNode {
        let start = try expect(.name)
        return NameNode(value: lexer.text(start.start, start.end), loc: loc(start))
    }

    /// OperationDefinition : SelectionSet | OperationType Name? VariableDefinitions? Directives? SelectionSet
    mutating func parseOperationDefinition() throws(SyntaxFailure) -> OperationDefinitionNode {
        let start = token
        if peek(.braceL) {
            let selectionSet = try parseSelectionSet()
            return OperationDefinitionNode(
                operation: .query, name: nil, variableDefinitions: [], directives: [], selectionSet: selectionSet,
                loc: loc(start))
        }
        let operation = try parseOperationType()
        var name: NameNode?
        if peek(.name) {
            name = try parseName()
        }
        let variableDefinitions = try parseVariableDefinitions()
        let directives = try parseDirectives(isConst: false)
        let selectionSet = try parseSelectionSet()
        return OperationDefinitionNode(
            operation: operation, name: name, variableDefinitions: variableDefinitions, directives: directives,
            selectionSet: selectionSet, loc: loc(start))
    }

    /// OperationType : one of query mutation subscription
    mutating func parseOperationType() throws(SyntaxFailure) -> OperationType {
        let operationToken = try expect(.name)
        if isKeyword(operationToken, "query") { return .query }
        if isKeyword(operationToken, "mutation") { return .mutation }
        if isKeyword(operationToken, "subscription") { return .subscription }
        throw unexpected(operationToken)
    }

    /// VariableDefinitions : ( VariableDefinition+ )
    mutating func parseVariableDefinitions() throws(SyntaxFailure) -> [VariableDefinitionNode] {
        guard try expectOptional(.parenL) else { return [] }
        var nodes: [VariableDefinitionNode] = []
        nodes.reserveCapacity(4)
        repeat {
            nodes.append(try parseVariableDefinition())
        } while try !expectOptional(.parenR)
        return nodes
    }

    /// VariableDefinition : Variable : Type DefaultValue? Directives[Const]?
    mutating func parseVariableDefinition() throws(SyntaxFailure) -> VariableDefinitionNode {
        let start = token
        let variable = try parseVariable()
        try expect(.colon)
        let type = try parseTypeReference()
        var defaultValue: ValueNode?
        if try expectOptional(.equals) {
            defaultValue = try parseValueLiteral(isConst: true)
        }
        let directives = try parseDirectives(isConst: true)
        return VariableDefinitionNode(
            variable: variable, type: type, defaultValue: defaultValue, directives: directives, loc: loc(start))
    }

    /// Variable : $ Name
    mutating func parseVariable() throws(SyntaxFailure) -> VariableNode {
        let start = token
        try expect(.dollar)
        let name = try parseName()
        return VariableNode(name: name, loc: loc(start))
    }

    /// SelectionSet : { Selection+ }
    @inline(never)
    mutating func parseSelectionSet() throws(SyntaxFailure) -> SelectionSetNode {
        let start = token
        try enterNesting()
        try expect(.braceL)
        var selections: [SelectionNode] = []
        selections.reserveCapacity(4)
        repeat {
            selections.append(try parseSelection())
        } while try !expectOptional(.braceR)
        leaveNesting()
        return SelectionSetNode(selections: selections, loc: loc(start))
    }

    /// Selection : Field | FragmentSpread | InlineFragment
    mutating func parseSelection() throws(SyntaxFailure) -> SelectionNode {
        peek(.spread) ? try parseFragment() : .field(try parseField())
    }

    /// Field : Alias? Name Arguments? Directives? SelectionSet?
    @inline(never)
    mutating func parseField() throws(SyntaxFailure) -> FieldNode {
        let start = token
        let nameOrAlias = try parseName()
        var alias: NameNode?
        let name: NameNode
        if try expectOptional(.colon) {
            alias = nameOrAlias
            name = try parseName()
        } else {
            name = nameOrAlias
        }
        let arguments = try parseArguments(isConst: false)
        let directives = try parseDirectives(isConst: false)
        let selectionSet = peek(.braceL) ? try parseSelectionSet() : nil
        return FieldNode(
            alias: alias, name: name, arguments: arguments, directives: directives, selectionSet: selectionSet,
            loc: loc(start))
    }

    /// Arguments[Const] : ( Argument[?Const]+ )
    mutating func parseArguments(isConst: Bool) throws(SyntaxFailure) -> [ArgumentNode] {
        guard try expectOptional(.parenL) else { return [] }
        var nodes: [ArgumentNode] = []
        nodes.reserveCapacity(4)
        repeat {
            nodes.append(try parseArgument(isConst: isConst))
        } while try !expectOptional(.parenR)
        return nodes
    }

    /// Argument[Const] : Name : Value[?Const]
    mutating func parseArgument(isConst: Bool) throws(SyntaxFailure) -> ArgumentNode {
        let start = token
        let name = try parseName()
        try expect(.colon)
        let value = try parseValueLiteral(isConst: isConst)
        return ArgumentNode(name: name, value: value, loc: loc(start))
    }

    /// FragmentSpread : ... FragmentName Directives? ; InlineFragment : ... TypeCondition? Directives? SelectionSet
    @inline(never)
    mutating func parseFragment() throws(SyntaxFailure) -> SelectionNode {
        let start = token
        try expect(.spread)
        let hasTypeCondition = try expectOptionalKeyword("on")
        if !hasTypeCondition && peek(.name) {
            let name = try parseFragmentName()
            let directives = try parseDirectives(isConst: false)
            return .fragmentSpread(FragmentSpreadNode(name: name, directives: directives, loc: loc(start)))
        }
        let typeCondition = hasTypeCondition ? try parseNamedType() : nil
        let directives = try parseDirectives(isConst: false)
        let selectionSet = try parseSelectionSet()
        return .inlineFragment(
            InlineFragmentNode(
                typeCondition: typeCondition, directives: directives, selectionSet: selectionSet, loc: loc(start)))
    }

    /// FragmentDefinition : fragment FragmentName on TypeCondition Directives? SelectionSet
    mutating func parseFragmentDefinition() throws(SyntaxFailure) -> FragmentDefinitionNode {
        let start = token
        try expectKeyword("fragment")
        let name = try parseFragmentName()
        try expectKeyword("on")
        let typeCondition = try parseNamedType()
        let directives = try parseDirectives(isConst: false)
        let selectionSet = try parseSelectionSet()
        return FragmentDefinitionNode(
            name: name, typeCondition: typeCondition, directives: directives, selectionSet: selectionSet,
            loc: loc(start))
    }

    /// FragmentName : Name but not `on`
    mutating func parseFragmentName() throws(SyntaxFailure) -> NameNode {
        if currentValue(equals: "on") {
            throw unexpected()
        }
        return try parseName()
    }
}
