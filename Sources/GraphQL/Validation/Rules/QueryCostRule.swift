/// Rejects operations whose estimated cost exceeds `maxCost` (a server limit, not a spec rule). Every field
/// costs 1; below a field returning a list, the cost of its selections is multiplied by its `first`, `last`
/// or `limit` argument (a literal, a variable from `ValidationOptions.variableValues` or the variable's
/// default), or by `defaultListSize` when none is known. Fragments are counted at every spread. Introspection
/// (`__schema`, `__type`) costs 1 per field without list multipliers: its shape is bounded by
/// `MaxIntrospectionDepthRule` and `MaxDepthRule`, and clients send the standard introspection query.
/// Error code `QUERY_TOO_COMPLEX`, one error per operation, located at the operation.
///
/// https://spec.graphql.org/September2025/#sec-Validation
public struct QueryCostRule: ValidationRule {
    /// The highest allowed cost.
    public let maxCost: Int
    /// The multiplier for list fields without a known size argument.
    public let defaultListSize: Int

    /// Creates the rule.
    public init(maxCost: Int = ProtectionLimits.defaultMaxCost, defaultListSize: Int = ProtectionLimits.defaultListSize) {
        self.maxCost = maxCost
        self.defaultListSize = defaultListSize
    }

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor {
        Visitor(context: context, maxCost: maxCost, defaultListSize: defaultListSize)
    }

    /// The cost of `operation` as this rule computes it.
    public func cost(of operation: OperationDefinitionNode, context: ValidationContext) -> Int {
        var visitor = Visitor(context: context, maxCost: maxCost, defaultListSize: defaultListSize)
        return visitor.cost(operation)
    }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        let maxCost: Int
        let defaultListSize: Int
        var fragmentCosts: [String: Int] = [:]
        var inProgress: Set<String> = []
        var variableDefaults: [String: ValueNode] = [:]

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            let cost = self.cost(operationDefinition)
            if cost > maxCost {
                context.report(
                    .coded(
                        "Query cost \(cost) exceeds the maximum allowed cost of \(maxCost).",
                        code: ProtectionErrorCode.queryTooComplex, at: [operationDefinition.loc]))
            }
            return .skipChildren
        }

        mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction { .skipChildren }

        mutating func cost(_ operation: OperationDefinitionNode) -> Int {
            fragmentCosts = [:]
            variableDefaults = [:]
            for definition in operation.variableDefinitions {
                if let value = definition.defaultValue { variableDefaults[definition.variable.name.value] = value }
            }
            let root = context.schema.rootType(for: operation.operation).map(GraphQLNamedType.object)
            return cost(operation.selectionSet, root, introspection: false)
        }

        private mutating func cost(_ selectionSet: SelectionSetNode, _ parentType: GraphQLNamedType?, introspection: Bool)
            -> Int
        {
            var total = 0
            for selection in selectionSet.selections {
                switch selection {
                case .field(let field):
                    total = saturatingAdd(total, cost(field, parentType, introspection: introspection))
                case .inlineFragment(let fragment):
                    let type = fragment.typeCondition.map { context.schema.type(named: $0.name.value) } ?? parentType
                    total = saturatingAdd(total, cost(fragment.selectionSet, type, introspection: introspection))
                case .fragmentSpread(let spread):
                    total = saturatingAdd(total, fragmentCost(spread.name.value, introspection: introspection))
                }
            }
            return total
        }

        private mutating func cost(_ field: FieldNode, _ parentType: GraphQLNamedType?, introspection: Bool) -> Int {
            guard let selectionSet = field.selectionSet else { return 1 }
            let isIntrospection = introspection || field.name.value == "__schema" || field.name.value == "__type"
            let definition = parentType.flatMap { TypeInfo.fieldDefinition(context.schema, $0, field.name.value) }
            let fieldType = definition.flatMap { context.schema.namedType(of: $0.type) }
            let childCost = cost(selectionSet, fieldType, introspection: isIntrospection)
            guard !isIntrospection, let type = definition?.type, type.nullable.isList else {
                return saturatingAdd(1, childCost)
            }
            return saturatingAdd(1, saturatingMultiply(listSize(field), childCost))
        }

        private mutating func fragmentCost(_ name: String, introspection: Bool) -> Int {
            let key = (introspection ? "1:" : "0:") + name
            if let known = fragmentCosts[key] { return known }
            guard let fragment = context.fragment(named: name), inProgress.insert(key).inserted else { return 0 }
            let type = context.schema.type(named: fragment.typeCondition.name.value)
            let cost = self.cost(fragment.selectionSet, type, introspection: introspection)
            inProgress.remove(key)
            fragmentCosts[key] = cost
            return cost
        }

        /// The `first`, `last` or `limit` argument's value, else the default list size.
        private func listSize(_ field: FieldNode) -> Int {
            for argument in field.arguments {
                switch argument.name.value {
                case "first", "last", "limit":
                    if let size = intValue(argument.value) { return max(0, size) }
                default:
                    continue
                }
            }
            return defaultListSize
        }

        private func intValue(_ value: ValueNode) -> Int? {
            switch value {
            case .int(let node):
                return Int(node.value)
            case .variable(let variable):
                let name = variable.name.value
                if let given = context.variableValues?[name] { return given.intValue }
                if let defaultValue = variableDefaults[name], case .int(let node) = defaultValue { return Int(node.value) }
                return nil
            default:
                return nil
            }
        }
    }
}
