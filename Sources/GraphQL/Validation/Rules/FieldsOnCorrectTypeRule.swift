/// Field Selections: selected fields must be defined on the parent type.
///
/// https://spec.graphql.org/September2025/#sec-Field-Selections
public struct FieldsOnCorrectTypeRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext

        mutating func enter(field: FieldNode) -> VisitAction {
            guard let type = context.parentType, context.fieldDef == nil else { return .continue }
            let fieldName = field.name.value
            var suggestion = didYouMean("to use an inline fragment on", suggestedTypeNames(type, fieldName))
            if suggestion.isEmpty {
                suggestion = didYouMean(suggestionList(fieldName, options: type.fields?.names ?? []))
            }
            context.report(
                GraphQLError("Cannot query field \"\(fieldName)\" on type \"\(type.name)\"." + suggestion, nodes: [field]))
            return .continue
        }

        /// Object and interface types below an abstract type that do define the field, most used first.
        private func suggestedTypeNames(_ type: GraphQLNamedType, _ fieldName: String) -> [String] {
            guard type.isAbstractType else { return [] }
            let schema = context.schema
            var suggested: [GraphQLNamedType] = []
            var usageCount: [String: Int] = [:]
            for possibleType in schema.possibleTypes(of: type) where possibleType.fields[fieldName] != nil {
                if usageCount[possibleType.name] == nil { suggested.append(.object(possibleType)) }
                usageCount[possibleType.name] = 1
                for interfaceName in possibleType.interfaces {
                    guard let interface = schema.type(named: interfaceName)?.asInterface,
                        interface.fields[fieldName] != nil
                    else { continue }
                    if usageCount[interface.name] == nil { suggested.append(.interface(interface)) }
                    usageCount[interface.name, default: 0] += 1
                }
            }
            return suggested.sorted { typeA, typeB in
                let countA = usageCount[typeA.name] ?? 0
                let countB = usageCount[typeB.name] ?? 0
                if countA != countB { return countA > countB }
                if typeA.asInterface != nil && schema.isSubType(typeA, typeB) { return true }
                if typeB.asInterface != nil && schema.isSubType(typeB, typeA) { return false }
                return naturalCompare(typeA.name, typeB.name) < 0
            }.map(\.name)
        }
    }
}
