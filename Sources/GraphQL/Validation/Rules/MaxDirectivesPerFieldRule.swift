/// Rejects a field, fragment spread, inline fragment or fragment definition carrying more than
/// `maxDirectives` directives (a server limit, not a spec rule). Error code `TOO_MANY_DIRECTIVES`, located at
/// the node.
///
/// https://spec.graphql.org/September2025/#sec-Validation
public struct MaxDirectivesPerFieldRule: ValidationRule {
    /// The most directives allowed on one node.
    public let maxDirectives: Int

    /// Creates the rule.
    public init(maxDirectives: Int = ProtectionLimits.defaultMaxDirectivesPerField) {
        self.maxDirectives = maxDirectives
    }

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor {
        Visitor(context: context, maxDirectives: maxDirectives)
    }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        let maxDirectives: Int

        mutating func enter(field: FieldNode) -> VisitAction {
            check(field.directives, "field \"\(field.name.value)\"", field.loc)
        }

        mutating func enter(fragmentSpread: FragmentSpreadNode) -> VisitAction {
            check(fragmentSpread.directives, "fragment spread \"\(fragmentSpread.name.value)\"", fragmentSpread.loc)
        }

        mutating func enter(inlineFragment: InlineFragmentNode) -> VisitAction {
            check(inlineFragment.directives, "inline fragment", inlineFragment.loc)
        }

        mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction {
            check(fragmentDefinition.directives, "fragment \"\(fragmentDefinition.name.value)\"", fragmentDefinition.loc)
        }

        private func check(_ directives: [DirectiveNode], _ what: String, _ location: Location) -> VisitAction {
            if directives.count > maxDirectives {
                context.report(
                    .coded(
                        "The \(what) has \(directives.count) directives, more than the maximum of \(maxDirectives).",
                        code: ProtectionErrorCode.tooManyDirectives, at: [location]))
            }
            return .continue
        }
    }
}
