/// Directives Are Unique Per Location: a non-repeatable directive may appear once per node.
///
/// https://spec.graphql.org/September2025/#sec-Directives-Are-Unique-Per-Location
public struct UniqueDirectivesPerLocationRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor {
        Visitor(context: context, uniqueness: Uniqueness(context: context))
    }

    /// Whether each directive is non-repeatable, built when a node first has directives to check.
    private final class Uniqueness {
        let context: ValidationContext

        init(context: ValidationContext) { self.context = context }

        lazy var isUnique: [String: Bool] = {
            var unique: [String: Bool] = [:]
            for directive in context.schema.directives { unique[directive.name] = !directive.isRepeatable }
            for case .directive(let definition) in context.document.definitions {
                unique[definition.name.value] = !definition.repeatable
            }
            return unique
        }()
    }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        let uniqueness: Uniqueness
        var isUnique: [String: Bool] { uniqueness.isUnique }

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            check(operationDefinition.directives)
        }

        mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction {
            check(fragmentDefinition.directives)
        }

        mutating func enter(variableDefinition: VariableDefinitionNode) -> VisitAction {
            check(variableDefinition.directives)
        }

        mutating func enter(field: FieldNode) -> VisitAction { check(field.directives) }

        mutating func enter(fragmentSpread: FragmentSpreadNode) -> VisitAction { check(fragmentSpread.directives) }

        mutating func enter(inlineFragment: InlineFragmentNode) -> VisitAction { check(inlineFragment.directives) }

        /// Schema definitions and extensions share one set of seen directives, and so do the definition and
        /// extensions of one type; nested definitions (fields, arguments, values) each have their own.
        var schemaDirectives: [String: DirectiveNode] = [:]
        var typeDirectives: [String: [String: DirectiveNode]] = [:]

        mutating func enter(typeSystemDefinition: DefinitionNode) -> VisitAction {
            switch typeSystemDefinition {
            case .operation, .fragment:
                break
            case .schema(let node):
                Self.check(node.directives, &schemaDirectives, isUnique, context)
            case .schemaExtension(let node):
                Self.check(node.directives, &schemaDirectives, isUnique, context)
            case .type(let node):
                Self.check(node.directives, &typeDirectives[node.name.value, default: [:]], isUnique, context)
                checkNested(node)
            case .typeExtension(let node):
                Self.check(node.directives, &typeDirectives[node.name.value, default: [:]], isUnique, context)
                checkNested(node)
            case .directive(let node):
                for argument in node.arguments { _ = check(argument.directives) }
            }
            return .continue
        }

        private func checkNested(_ node: TypeDefinitionNode) {
            switch node {
            case .object(let object): checkFields(object.fields)
            case .interface(let interface): checkFields(interface.fields)
            case .enumType(let enumType): for value in enumType.values { _ = check(value.directives) }
            case .inputObject(let input): for field in input.fields { _ = check(field.directives) }
            case .scalar, .union: break
            }
        }

        private func checkNested(_ node: TypeExtensionNode) {
            switch node {
            case .object(let object): checkFields(object.fields)
            case .interface(let interface): checkFields(interface.fields)
            case .enumType(let enumType): for value in enumType.values { _ = check(value.directives) }
            case .inputObject(let input): for field in input.fields { _ = check(field.directives) }
            case .scalar, .union: break
            }
        }

        private func checkFields(_ fields: [FieldDefinitionNode]) {
            for field in fields {
                _ = check(field.directives)
                for argument in field.arguments { _ = check(argument.directives) }
            }
        }

        private func check(_ directives: [DirectiveNode]) -> VisitAction {
            guard directives.count > 1 else { return .continue }
            var seen: [String: DirectiveNode] = [:]
            Self.check(directives, &seen, isUnique, context)
            return .continue
        }

        private static func check(
            _ directives: [DirectiveNode], _ seen: inout [String: DirectiveNode], _ isUnique: [String: Bool],
            _ context: ValidationContext
        ) {
            for directive in directives where isUnique[directive.name.value] == true {
                let name = directive.name.value
                if let previous = seen[name] {
                    context.report(
                        GraphQLError(
                            "The directive \"@\(name)\" can only be used once at this location.", nodes: [previous, directive]))
                } else {
                    seen[name] = directive
                }
            }
        }
    }
}
