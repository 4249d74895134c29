/// Argument Uniqueness: a field or directive may not be given the same argument twice.
///
/// https://spec.graphql.org/September2025/#sec-Argument-Uniqueness
public struct UniqueArgumentNamesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext

        mutating func enter(field: FieldNode) -> VisitAction {
            check(field.arguments)
            return .continue
        }

        mutating func enter(directive: DirectiveNode, location: DirectiveLocation) -> VisitAction {
            check(directive.arguments)
            return .continue
        }

        private func check(_ arguments: [ArgumentNode]) {
            guard arguments.count > 1 else { return }
            var order: [String] = []
            var groups: [String: [NameNode]] = [:]
            for argument in arguments {
                if groups[argument.name.value] == nil { order.append(argument.name.value) }
                groups[argument.name.value, default: []].append(argument.name)
            }
            for name in order {
                guard let nodes = groups[name], nodes.count > 1 else { continue }
                context.report(GraphQLError("There can be only one argument named \"\(name)\".", nodes: nodes))
            }
        }
    }
}
