/// Variables Are Input Types: variables must be scalars, enums or input objects (possibly wrapped).
///
/// https://spec.graphql.org/September2025/#sec-Variables-Are-Input-Types
public struct VariablesAreInputTypesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext

        mutating func enter(variableDefinition: VariableDefinitionNode) -> VisitAction {
            if let type = context.schema.type(named: variableDefinition.type.namedType.name.value), !type.isInputType {
                let name = variableDefinition.variable.name.value
                context.report(
                    GraphQLError(
                        "Variable \"$\(name)\" cannot be non-input type \"\(print(variableDefinition.type))\".",
                        nodes: [variableDefinition.type]))
            }
            return .continue
        }
    }
}
