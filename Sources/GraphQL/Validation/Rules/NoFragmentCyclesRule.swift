/// Fragment Spreads Must Not Form Cycles.
///
/// https://spec.graphql.org/September2025/#sec-Fragment-spreads-must-not-form-cycles
public struct NoFragmentCyclesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        var visited: Set<String> = []
        var spreadPath: [FragmentSpreadNode] = []
        var spreadPathIndexByName: [String: Int] = [:]

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction { .skipChildren }

        mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction {
            detectCycle(fragmentDefinition)
            return .skipChildren
        }

        /// Depth-first search from `fragment`, reporting each spread that closes a cycle (graphql-js algorithm).
        private mutating func detectCycle(_ fragment: FragmentDefinitionNode) {
            let fragmentName = fragment.name.value
            guard visited.insert(fragmentName).inserted else { return }
            let spreads = context.fragmentSpreads(in: fragment.selectionSet)
            guard !spreads.isEmpty else { return }
            spreadPathIndexByName[fragmentName] = spreadPath.count
            for spread in spreads {
                let spreadName = spread.name.value
                let cycleIndex = spreadPathIndexByName[spreadName]
                spreadPath.append(spread)
                if let cycleIndex {
                    let cyclePath = Array(spreadPath[cycleIndex...])
                    let via = cyclePath.dropLast().map { "\"\($0.name.value)\"" }.joined(separator: ", ")
                    context.report(
                        GraphQLError(
                            "Cannot spread fragment \"\(spreadName)\" within itself" + (via.isEmpty ? "." : " via \(via)."),
                            nodes: cyclePath))
                } else if let spreadFragment = context.fragment(named: spreadName) {
                    detectCycle(spreadFragment)
                }
                spreadPath.removeLast()
            }
            spreadPathIndexByName[fragmentName] = nil
        }
    }
}
