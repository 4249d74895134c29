/// Required Arguments: non-null arguments without a default must be given.
///
/// https://spec.graphql.org/September2025/#sec-Required-Arguments
public struct ProvidedRequiredArgumentsRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        /// Required arguments by directive name, built at the first directive (most documents have none).
        var requiredDirectiveArguments: [String: [(name: String, type: String)]]?

        init(context: ValidationContext) { self.context = context }

        static func requiredArguments(_ context: ValidationContext) -> [String: [(name: String, type: String)]] {
            var required: [String: [(name: String, type: String)]] = [:]
            for directive in context.schema.directives {
                required[directive.name] = directive.args.filter(\.isRequired).map { ($0.name, $0.type.description) }
            }
            for case .directive(let definition) in context.document.definitions {
                required[definition.name.value] = definition.arguments.compactMap { argument in
                    guard case .nonNull = argument.type, argument.defaultValue == nil else { return nil }
                    return (argument.name.value, print(argument.type))
                }
            }
            return required
        }

        mutating func leave(field: FieldNode) {
            guard let fieldDef = context.fieldDef else { return }
            let provided = Set(field.arguments.map(\.name.value))
            for argument in fieldDef.args where argument.isRequired && !provided.contains(argument.name) {
                context.report(
                    GraphQLError(
                        "Field \"\(fieldDef.name)\" argument \"\(argument.name)\" of type \"\(argument.type)\" is required, "
                            + "but it was not provided.",
                        nodes: [field]))
            }
        }

        mutating func leave(directive: DirectiveNode, location: DirectiveLocation) {
            let name = directive.name.value
            if requiredDirectiveArguments == nil { requiredDirectiveArguments = Self.requiredArguments(context) }
            guard let required = requiredDirectiveArguments?[name] else { return }
            let provided = Set(directive.arguments.map(\.name.value))
            for argument in required where !provided.contains(argument.name) {
                context.report(
                    GraphQLError(
                        "Directive \"@\(name)\" argument \"\(argument.name)\" of type \"\(argument.type)\" is required, "
                            + "but it was not provided.",
                        nodes: [directive]))
            }
        }
    }
}
