/// Argument Names: arguments must be defined by the field or directive they are given to.
///
/// https://spec.graphql.org/September2025/#sec-Argument-Names
public struct KnownArgumentNamesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        /// Argument names by directive name, built at the first directive (most documents have none).
        var directiveArguments: [String: [String]]?

        init(context: ValidationContext) { self.context = context }

        static func argumentNames(_ context: ValidationContext) -> [String: [String]] {
            var directiveArguments: [String: [String]] = [:]
            for directive in context.schema.directives { directiveArguments[directive.name] = directive.args.map(\.name) }
            for case .directive(let definition) in context.document.definitions {
                directiveArguments[definition.name.value] = definition.arguments.map(\.name.value)
            }
            return directiveArguments
        }

        mutating func enter(argument: ArgumentNode) -> VisitAction {
            guard context.argument == nil, let fieldDef = context.fieldDef, let parentType = context.parentType else {
                return .continue
            }
            let name = argument.name.value
            let suggestions = suggestionList(name, options: fieldDef.args.map(\.name))
            context.report(
                GraphQLError(
                    "Unknown argument \"\(name)\" on field \"\(parentType.name).\(fieldDef.name)\"." + didYouMean(suggestions),
                    nodes: [argument]))
            return .continue
        }

        mutating func enter(directive: DirectiveNode, location: DirectiveLocation) -> VisitAction {
            let directiveName = directive.name.value
            if directiveArguments == nil { directiveArguments = Self.argumentNames(context) }
            if let known = directiveArguments?[directiveName] {
                for argument in directive.arguments where !known.contains(argument.name.value) {
                    let name = argument.name.value
                    context.report(
                        GraphQLError(
                            "Unknown argument \"\(name)\" on directive \"@\(directiveName)\"."
                                + didYouMean(suggestionList(name, options: known)),
                            nodes: [argument]))
                }
            }
            return .skipChildren
        }
    }
}
