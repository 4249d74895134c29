/// Directives Are Defined and Directives Are In Valid Locations.
///
/// https://spec.graphql.org/September2025/#sec-Directives-Are-Defined
public struct KnownDirectivesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        /// Locations by directive name, built at the first directive (most documents have none).
        var locationsByName: [String: Set<String>]?

        init(context: ValidationContext) { self.context = context }

        static func locations(_ context: ValidationContext) -> [String: Set<String>] {
            var locations: [String: Set<String>] = [:]
            for directive in context.schema.directives {
                locations[directive.name] = Set(directive.locations.map(\.rawValue))
            }
            for case .directive(let definition) in context.document.definitions {
                locations[definition.name.value] = Set(definition.locations.map(\.value))
            }
            return locations
        }

        mutating func enter(directive: DirectiveNode, location: DirectiveLocation) -> VisitAction {
            let name = directive.name.value
            if locationsByName == nil { locationsByName = Self.locations(context) }
            guard let locations = locationsByName?[name] else {
                context.report(GraphQLError("Unknown directive \"@\(name)\".", nodes: [directive]))
                return .continue
            }
            if !locations.contains(location.rawValue) {
                context.report(
                    GraphQLError("Directive \"@\(name)\" may not be used on \(location.rawValue).", nodes: [directive]))
            }
            return .continue
        }
    }
}
