/// Leaf Field Selections: scalar and enum fields have no selection set; other fields must have one.
///
/// https://spec.graphql.org/September2025/#sec-Leaf-Field-Selections
public struct ScalarLeafsRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext

        mutating func enter(field: FieldNode) -> VisitAction {
            guard let type = context.type, let named = context.schema.namedType(of: type) else { return .continue }
            let name = field.name.value
            if named.isLeafType {
                if let selectionSet = field.selectionSet {
                    context.report(
                        GraphQLError(
                            "Field \"\(name)\" must not have a selection since type \"\(type)\" has no subfields.",
                            nodes: [selectionSet]))
                }
            } else if field.selectionSet == nil {
                context.report(
                    GraphQLError(
                        "Field \"\(name)\" of type \"\(type)\" must have a selection of subfields. Did you mean \"\(name) { ... }\"?",
                        nodes: [field]))
            }
            return .continue
        }
    }
}
