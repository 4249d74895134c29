/// Rejects operations whose estimated cost exceeds `maxCost` (a server limit, not a spec rule). A field costs 1, or
/// what `fieldCosts` sets for it (a weight, or an estimate from its arguments); below a field returning a list, the
/// cost of its selections is multiplied by its `first`, `last` or `limit` argument (a literal, a variable from
/// `ValidationOptions.variableValues` or the variable's default), or by `defaultListSize` when none is known.
/// Fragments are counted at every spread. Introspection (`__schema`, `__type`) costs 1 per field without list
/// multipliers or field costs: its shape is bounded by `MaxIntrospectionDepthRule` and `MaxDepthRule`, and clients
/// send the standard introspection query.
///
/// Variables: without variable values, a variable with neither value nor default is unknown (a list size falls back
/// to `defaultListSize`, an estimator sees the argument left out). When the context defers such costs
/// (`ValidationOptions.defersVariableCosts`, as `GraphQLEngine` validates cached documents), an operation whose cost
/// depends on unknown variables is not refused here: the engine checks it again with the request's variables,
/// before any resolver runs.
///
/// Error code `QUERY_TOO_COMPLEX`, one error per operation, located at the operation.
///
/// https://spec.graphql.org/September2025/#sec-Validation
public struct QueryCostRule: ValidationRule {
    /// The highest allowed cost.
    public let maxCost: Int
    /// The multiplier for list fields without a known size argument.
    public let defaultListSize: Int
    /// The fields that cost more (or less) than 1.
    public let fieldCosts: FieldCosts

    /// Creates the rule.
    public init(
        maxCost: Int = ProtectionLimits.defaultMaxCost, defaultListSize: Int = ProtectionLimits.defaultListSize,
        fieldCosts: FieldCosts = FieldCosts()
    ) {
        self.maxCost = maxCost
        self.defaultListSize = defaultListSize
        self.fieldCosts = fieldCosts
    }

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor {
        Visitor(rule: self, context: context)
    }

    /// The cost of `operation` as this rule computes it.
    public func cost(of operation: OperationDefinitionNode, context: ValidationContext) -> Int {
        estimate(of: operation, context: context).cost
    }

    /// The cost of `operation`, and whether it read a variable whose value is not known.
    public func estimate(of operation: OperationDefinitionNode, context: ValidationContext) -> CostEstimate {
        var visitor = Visitor(rule: self, context: context)
        return visitor.estimate(operation)
    }

    /// The `QUERY_TOO_COMPLEX` error for `operation` when its cost exceeds `maxCost`, else nil (what the engine
    /// checks at execution, with the request's variables in `context`).
    public func check(_ operation: OperationDefinitionNode, context: ValidationContext) -> GraphQLError? {
        let cost = self.cost(of: operation, context: context)
        return cost > maxCost ? error(cost, operation) : nil
    }

    private func error(_ cost: Int, _ operation: OperationDefinitionNode) -> GraphQLError {
        .coded(
            "Query cost \(cost) exceeds the maximum allowed cost of \(maxCost).", code: ProtectionErrorCode.queryTooComplex,
            at: [operation.loc])
    }

    private struct Visitor: ASTVisitor {
        let rule: QueryCostRule
        let context: ValidationContext
        var fragmentCosts: [String: Int] = [:]
        var inProgress: Set<String> = []
        var variableDefaults: [String: ValueNode] = [:]
        var variableTypes: [String: TypeReference] = [:]
        var readsUnknownVariables = false
        /// Set while one field's arguments are converted for its estimator, when they hold an unknown variable.
        var argumentsReadUnknownVariables = false

        init(rule: QueryCostRule, context: ValidationContext) {
            self.rule = rule
            self.context = context
        }

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            let estimate = self.estimate(operationDefinition)
            if estimate.cost > rule.maxCost, !(estimate.readsUnknownVariables && context.defersVariableCosts) {
                context.report(rule.error(estimate.cost, operationDefinition))
            }
            return .skipChildren
        }

        mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction { .skipChildren }

        mutating func estimate(_ operation: OperationDefinitionNode) -> CostEstimate {
            fragmentCosts = [:]
            variableDefaults = [:]
            variableTypes = [:]
            readsUnknownVariables = false
            for definition in operation.variableDefinitions {
                let name = definition.variable.name.value
                variableTypes[name] = TypeReference(definition.type)
                if let value = definition.defaultValue { variableDefaults[name] = value }
            }
            let root = context.schema.rootType(for: operation.operation).map(GraphQLNamedType.object)
            let cost = cost(operation.selectionSet, root, introspection: false)
            return CostEstimate(cost: cost, readsUnknownVariables: readsUnknownVariables)
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
            let isIntrospection = introspection || field.name.value == "__schema" || field.name.value == "__type"
            let definition = parentType.flatMap { TypeInfo.fieldDefinition(context.schema, $0, field.name.value) }
            if !isIntrospection, let parentType, case .total(let total)? = rule.fieldCosts.cost(parentType.name, field.name.value) {
                return max(0, total)
            }
            let own = isIntrospection ? 1 : ownCost(field, parentType, definition)
            guard let selectionSet = field.selectionSet else { return own }
            let fieldType = definition.flatMap { context.schema.namedType(of: $0.type) }
            let childCost = cost(selectionSet, fieldType, introspection: isIntrospection)
            guard !isIntrospection, let type = definition?.type, type.nullable.isList else {
                return saturatingAdd(own, childCost)
            }
            return saturatingAdd(own, saturatingMultiply(listSize(field), childCost))
        }

        /// The field's own cost: 1, or what `fieldCosts` sets for it.
        private mutating func ownCost(_ field: FieldNode, _ parentType: GraphQLNamedType?, _ definition: GraphQLField?) -> Int {
            guard !rule.fieldCosts.isEmpty, let parentType, let cost = rule.fieldCosts.cost(parentType.name, field.name.value)
            else { return 1 }
            switch cost {
            case .weight(let weight):
                return max(0, weight)
            case .estimate(let estimator):
                guard let definition else { return 1 }
                return max(0, estimator(arguments(field, definition)))
            case .total(let total):
                return max(0, total)
            }
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
        private mutating func listSize(_ field: FieldNode) -> Int {
            for argument in field.arguments {
                switch argument.name.value {
                case "first", "last", "limit":
                    if let size = intValue(argument.value) { return max(0, size) }
                default:
                    continue
                }
            }
            return rule.defaultListSize
        }

        private mutating func intValue(_ value: ValueNode) -> Int? {
            switch value {
            case .int(let node):
                return Int(node.value)
            case .variable(let variable):
                let name = variable.name.value
                if let values = context.variableValues { return values[name]?.intValue }
                if let defaultValue = variableDefaults[name], case .int(let node) = defaultValue { return Int(node.value) }
                if variableDefaults[name] == nil { readsUnknownVariables = true }
                return nil
            default:
                return nil
            }
        }

        // MARK: Arguments for estimators

        /// What is known of a value: the value, not given at all, or a variable without a known value.
        private enum Known {
            case value(Value)
            case absent
            case unknown
        }

        /// The field's arguments as `FieldCostArguments` describes them.
        private mutating func arguments(_ field: FieldNode, _ definition: GraphQLField) -> FieldCostArguments {
            argumentsReadUnknownVariables = false
            var values = OrderedObject(minimumCapacity: definition.args.count)
            for argument in definition.args {
                let node = field.arguments.first { $0.name.value == argument.name }?.value
                switch known(node, argument.type) {
                case .value(let value): values[argument.name] = value
                case .absent: values[argument.name] = argument.defaultValue ?? .null
                case .unknown: continue
                }
            }
            return FieldCostArguments(values: values, hasUnknownValues: argumentsReadUnknownVariables)
        }

        private mutating func known(_ node: ValueNode?, _ type: TypeReference) -> Known {
            guard let node else { return .absent }
            switch node {
            case .variable(let variable):
                let name = variable.name.value
                if let values = context.variableValues { return values[name].map(Known.value) ?? .absent }
                if let defaultValue = variableDefaults[name] { return known(defaultValue, variableTypes[name] ?? type) }
                readsUnknownVariables = true
                argumentsReadUnknownVariables = true
                return .unknown
            case .null:
                return .value(.null)
            default:
                break
            }
            if case .list(let itemType) = type.nullable {
                // A single value where a list is expected is a list of one (input coercion).
                let items: [ValueNode]
                if case .list(let list) = node { items = list.values } else { items = [node] }
                return .value(
                    .list(
                        items.map { item in
                            if case .value(let value) = known(item, itemType) { return value }
                            return .null
                        }))
            }
            guard case .object(let object) = node, case .inputObject(let input)? = context.schema.namedType(of: type) else {
                return .value(valueFromASTUntyped(node))
            }
            var values = OrderedObject(minimumCapacity: input.fields.count)
            for inputField in input.fields {
                let fieldNode = object.fields.last { $0.name.value == inputField.name }?.value
                switch known(fieldNode, inputField.type) {
                case .value(let value): values[inputField.name] = value
                case .absent: values[inputField.name] = inputField.defaultValue ?? .null
                case .unknown: continue
                }
            }
            return .value(.object(values))
        }
    }
}

/// What `QueryCostRule` computes for an operation.
public struct CostEstimate: Sendable, Hashable {
    /// The estimated cost.
    public var cost: Int
    /// True when the cost read a variable with neither a known value nor a default (then it may change once the
    /// request's variables are known).
    public var readsUnknownVariables: Bool

    /// Creates an estimate.
    public init(cost: Int, readsUnknownVariables: Bool) {
        self.cost = cost
        self.readsUnknownVariables = readsUnknownVariables
    }
}
