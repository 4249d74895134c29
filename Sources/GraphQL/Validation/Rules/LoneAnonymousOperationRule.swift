/// Lone Anonymous Operation: an anonymous operation must be the only operation of its document.
///
/// https://spec.graphql.org/September2025/#sec-Lone-Anonymous-Operation
public struct LoneAnonymousOperationRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        var operationCount = 0

        mutating func enter(document: DocumentNode) -> VisitAction {
            operationCount = document.operations.count
            return .continue
        }

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            if operationDefinition.name == nil && operationCount > 1 {
                context.report(
                    GraphQLError("This anonymous operation must be the only defined operation.", nodes: [operationDefinition]))
            }
            return .continue
        }
    }
}
