/// Executable Definitions: a request may only hold operations and fragments.
///
/// https://spec.graphql.org/September2025/#sec-Executable-Definitions
public struct ExecutableDefinitionsRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext

        mutating func enter(document: DocumentNode) -> VisitAction {
            for definition in document.definitions where !definition.isExecutable {
                let name: String
                switch definition {
                case .schema, .schemaExtension: name = "schema"
                case .type(let node): name = "\"\(node.name.value)\""
                case .typeExtension(let node): name = "\"\(node.name.value)\""
                case .directive(let node): name = "\"\(node.name.value)\""
                case .operation, .fragment: continue
                }
                context.report(GraphQLError("The \(name) definition is not executable.", at: [definition.loc]))
            }
            return .skipChildren
        }
    }
}
