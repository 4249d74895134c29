/// Input Object Field Uniqueness: an object literal may not give the same field twice.
///
/// https://spec.graphql.org/September2025/#sec-Input-Object-Field-Uniqueness
public struct UniqueInputFieldNamesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext

        var knownStack: [[String: NameNode]] = []

        mutating func enter(value: ValueNode) -> VisitAction {
            if case .object = value { knownStack.append([:]) }
            return .continue
        }

        mutating func leave(value: ValueNode) {
            if case .object = value { knownStack.removeLast() }
        }

        mutating func enter(objectField: ObjectFieldNode) -> VisitAction {
            let name = objectField.name
            guard !knownStack.isEmpty else { return .continue }
            if let previous = knownStack[knownStack.count - 1][name.value] {
                context.report(
                    GraphQLError("There can be only one input field named \"\(name.value)\".", nodes: [previous, name]))
            } else {
                knownStack[knownStack.count - 1][name.value] = name
            }
            return .continue
        }
    }
}
