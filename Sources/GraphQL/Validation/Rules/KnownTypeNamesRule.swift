/// Type names used in variable definitions and type conditions must exist in the schema (or be defined in
/// the document).
///
/// https://spec.graphql.org/September2025/#sec-Fragment-Spread-Type-Existence
public struct KnownTypeNamesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor {
        var defined: Set<String> = []
        var definedInOrder: [String] = []
        for case .type(let definition) in context.document.definitions
        where defined.insert(definition.name.value).inserted {
            definedInOrder.append(definition.name.value)
        }
        return Visitor(context: context, defined: defined, typeNames: context.schema.types.map(\.name) + definedInOrder)
    }

    /// Names always known inside type system definitions: the specified scalars and introspection types.
    static let standardTypeNames = [
        "String", "Int", "Float", "Boolean", "ID", "__Schema", "__Directive", "__DirectiveLocation", "__Type", "__Field",
        "__InputValue", "__EnumValue", "__TypeKind",
    ]

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        let defined: Set<String>
        let typeNames: [String]
        var inTypeSystemDefinition = false

        mutating func enter(typeSystemDefinition: DefinitionNode) -> VisitAction {
            inTypeSystemDefinition = true
            return .continue
        }

        mutating func leave(typeSystemDefinition: DefinitionNode) { inTypeSystemDefinition = false }

        mutating func enter(namedType: NamedTypeNode) -> VisitAction {
            let name = namedType.name.value
            guard context.schema.type(named: name) == nil && !defined.contains(name) else { return .continue }
            if inTypeSystemDefinition && KnownTypeNamesRule.standardTypeNames.contains(name) { return .continue }
            let options = inTypeSystemDefinition ? KnownTypeNamesRule.standardTypeNames + typeNames : typeNames
            context.report(
                GraphQLError("Unknown type \"\(name)\"." + didYouMean(suggestionList(name, options: options)), nodes: [namedType]))
            return .continue
        }
    }
}
