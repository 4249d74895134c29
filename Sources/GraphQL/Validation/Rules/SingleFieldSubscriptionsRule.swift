/// Single Root Field: a subscription selects exactly one top-level field, and not an introspection field.
///
/// https://spec.graphql.org/September2025/#sec-Single-Root-Field
public struct SingleFieldSubscriptionsRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            guard operationDefinition.operation == .subscription,
                let subscriptionType = context.schema.subscriptionType
            else { return .continue }
            let name = operationDefinition.name?.value
            var collector = RootFieldCollector(context: context, runtimeType: .object(subscriptionType))
            collector.collect(operationDefinition.selectionSet)
            if collector.keys.count > 1 {
                let extra = collector.keys.dropFirst().flatMap { collector.fields[$0] ?? [] }
                context.report(
                    GraphQLError(
                        name.map { "Subscription \"\($0)\" must select only one top level field." }
                            ?? "Anonymous Subscription must select only one top level field.",
                        nodes: extra))
            }
            for key in collector.keys {
                guard let nodes = collector.fields[key], let first = nodes.first, first.name.value.hasPrefix("__") else {
                    continue
                }
                context.report(
                    GraphQLError(
                        name.map { "Subscription \"\($0)\" must not select an introspection top level field." }
                            ?? "Anonymous Subscription must not select an introspection top level field.",
                        nodes: nodes))
            }
            return .continue
        }
    }
}

/// graphql-js `collectFields` for validation: no variable values, so `@skip`/`@include` only act on literals.
private struct RootFieldCollector {
    let context: ValidationContext
    let runtimeType: GraphQLNamedType
    var keys: [String] = []
    var fields: [String: [FieldNode]] = [:]
    var visitedFragments: Set<String> = []

    mutating func collect(_ selectionSet: SelectionSetNode) {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                guard shouldInclude(field.directives) else { continue }
                if fields[field.responseKey] == nil { keys.append(field.responseKey) }
                fields[field.responseKey, default: []].append(field)
            case .inlineFragment(let fragment):
                guard shouldInclude(fragment.directives), conditionMatches(fragment.typeCondition) else { continue }
                collect(fragment.selectionSet)
            case .fragmentSpread(let spread):
                let name = spread.name.value
                guard !visitedFragments.contains(name), shouldInclude(spread.directives) else { continue }
                visitedFragments.insert(name)
                guard let fragment = context.fragment(named: name), conditionMatches(fragment.typeCondition) else {
                    continue
                }
                collect(fragment.selectionSet)
            }
        }
    }

    private func shouldInclude(_ directives: [DirectiveNode]) -> Bool {
        for directive in directives {
            guard let argument = directive.arguments.first(where: { $0.name.value == "if" }),
                case .boolean(let literal) = argument.value
            else { continue }
            if directive.name.value == "skip" && literal.value { return false }
            if directive.name.value == "include" && !literal.value { return false }
        }
        return true
    }

    private func conditionMatches(_ condition: NamedTypeNode?) -> Bool {
        guard let condition else { return true }
        guard let conditionType = context.schema.type(named: condition.name.value) else { return false }
        if conditionType == runtimeType { return true }
        if conditionType.isAbstractType { return context.schema.isSubType(conditionType, runtimeType) }
        return false
    }
}
