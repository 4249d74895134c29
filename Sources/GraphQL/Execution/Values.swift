/// Coerces the request's variables against the operation's variable definitions (graphql-js `getVariableValues`).
///
/// Errors are located at the variable definition; at most `maxErrors` are reported, then one
/// "Too many errors" error ends the coercion.
public func getVariableValues(
    schema: GraphQLSchema, definitions: [VariableDefinitionNode], inputs: OrderedObject, maxErrors: Int = 50
) -> Result<OrderedObject, GraphQLErrors> {
    if definitions.isEmpty { return .success([:]) }
    var errors: [GraphQLError] = []
    var coerced = OrderedObject(minimumCapacity: definitions.count)
    var aborted = false
    func report(_ error: GraphQLError) {
        if errors.count >= maxErrors {
            aborted = true
            return
        }
        errors.append(error)
    }
    for definition in definitions {
        if aborted { break }
        let name = definition.variable.name.value
        let type = TypeReference(definition.type)
        guard let namedType = schema.namedType(of: type), namedType.isInputType else {
            report(
                GraphQLError(
                    "Variable \"$\(name)\" expected value of type \"\(print(definition.type))\" which cannot be used "
                        + "as an input type.", nodes: [definition.type]))
            continue
        }
        guard let input = inputs[name] else {
            if let defaultValue = definition.defaultValue {
                if let value = valueFromAST(defaultValue, type: type, schema: schema) {
                    coerced[name] = value
                }
            } else if type.isNonNull {
                report(
                    GraphQLError(
                        "Variable \"$\(name)\" of required type \"\(type)\" was not provided.", nodes: [definition]))
            }
            continue
        }
        if input.isNull && type.isNonNull {
            report(GraphQLError("Variable \"$\(name)\" of non-null type \"\(type)\" must not be null.", nodes: [definition]))
            continue
        }
        let value = coerceInputValue(input, type: type, schema: schema) { path, invalidValue, error in
            var prefix = "Variable \"$\(name)\" got invalid value " + inspect(invalidValue)
            if !path.isEmpty { prefix += " at \"\(name)\(printPathArray(path))\"" }
            report(GraphQLError(prefix + "; " + error.message, nodes: [definition], extensions: error.extensions))
        }
        if let value { coerced[name] = value }
    }
    if aborted {
        errors.append(GraphQLError("Too many errors processing variables, error limit reached. Execution aborted."))
    }
    return errors.isEmpty ? .success(coerced) : .failure(GraphQLErrors(errors))
}

/// Several errors reported together, e.g. by variable coercion.
public struct GraphQLErrors: Error, Sendable, Hashable {
    /// The errors in the order found.
    public var errors: [GraphQLError]

    /// Wraps errors.
    public init(_ errors: [GraphQLError]) { self.errors = errors }
}

/// Coerces the arguments written on a field or directive node (graphql-js `getArgumentValues`).
///
/// Keys come in the definition's declaration order; absent arguments without a default are left out.
public func getArgumentValues(
    definitions: [GraphQLArgument], nodes: [ArgumentNode], node: any ASTNode, schema: GraphQLSchema,
    variables: OrderedObject
) throws(GraphQLError) -> Arguments {
    if definitions.isEmpty { return .empty }
    var coerced = OrderedObject(minimumCapacity: definitions.count)
    for definition in definitions {
        let name = definition.name
        let type = definition.type
        guard let argument = nodes.first(where: { $0.name.value == name }) else {
            if let defaultValue = definition.defaultValue {
                coerced.appendUnchecked(key: name, value: defaultValue)
            } else if type.isNonNull {
                throw GraphQLError(
                    "Argument \"\(name)\" of required type \"\(type)\" was not provided.", at: [node.loc])
            }
            continue
        }
        let valueNode = argument.value
        var isNull: Bool
        if case .null = valueNode { isNull = true } else { isNull = false }
        if case .variable(let variable) = valueNode {
            let variableName = variable.name.value
            guard let variableValue = variables[variableName] else {
                if let defaultValue = definition.defaultValue {
                    coerced.appendUnchecked(key: name, value: defaultValue)
                } else if type.isNonNull {
                    throw GraphQLError(
                        "Argument \"\(name)\" of required type \"\(type)\" was provided the variable "
                            + "\"$\(variableName)\" which was not provided a runtime value.", at: [valueNode.loc])
                }
                continue
            }
            isNull = variableValue.isNull
        }
        if isNull && type.isNonNull {
            throw GraphQLError(
                "Argument \"\(name)\" of non-null type \"\(type)\" must not be null.", at: [valueNode.loc])
        }
        guard let value = valueFromAST(valueNode, type: type, schema: schema, variables: variables) else {
            throw GraphQLError("Argument \"\(name)\" has invalid value \(print(valueNode)).", at: [valueNode.loc])
        }
        coerced.appendUnchecked(key: name, value: value)
    }
    return Arguments(coerced)
}

/// True unless `@skip(if: true)` or `@include(if: false)` excludes the selection (graphql-js `shouldIncludeNode`).
func shouldInclude(
    _ directives: [DirectiveNode], schema: GraphQLSchema, variables: OrderedObject
) throws(GraphQLError) -> Bool {
    if directives.isEmpty { return true }
    for directive in directives {
        let name = directive.name.value
        guard name == "skip" || name == "include" else { continue }
        let definition = name == "skip" ? GraphQLDirective.skip : GraphQLDirective.include
        let args = try getArgumentValues(
            definitions: definition.args, nodes: directive.arguments, node: directive, schema: schema,
            variables: variables)
        if args["if"] == .bool(name == "skip") { return false }
    }
    return true
}
