/// Rejects operations with more than `maxAliases` aliased fields, counting a fragment's aliases at every
/// spread (a server limit against alias-based amplification, not a spec rule). Error code `TOO_MANY_ALIASES`,
/// one error per operation, located at the operation.
///
/// https://spec.graphql.org/September2025/#sec-Validation
public struct MaxAliasesRule: ValidationRule {
    /// The most aliases allowed per operation.
    public let maxAliases: Int

    /// Creates the rule.
    public init(maxAliases: Int = ProtectionLimits.defaultMaxAliases) { self.maxAliases = maxAliases }

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor {
        Visitor(context: context, maxAliases: maxAliases)
    }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        let maxAliases: Int
        var fragmentCounts: [String: Int] = [:]
        var inProgress: Set<String> = []

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            let count = aliases(operationDefinition.selectionSet)
            if count > maxAliases {
                context.report(
                    .coded(
                        "Operation has \(count) aliases, more than the maximum of \(maxAliases).",
                        code: ProtectionErrorCode.tooManyAliases, at: [operationDefinition.loc]))
            }
            return .skipChildren
        }

        mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction { .skipChildren }

        private mutating func aliases(_ selectionSet: SelectionSetNode) -> Int {
            var count = 0
            for selection in selectionSet.selections {
                switch selection {
                case .field(let field):
                    if field.alias != nil { count = saturatingAdd(count, 1) }
                    if let subSet = field.selectionSet { count = saturatingAdd(count, aliases(subSet)) }
                case .inlineFragment(let fragment):
                    count = saturatingAdd(count, aliases(fragment.selectionSet))
                case .fragmentSpread(let spread):
                    count = saturatingAdd(count, fragmentAliases(spread.name.value))
                }
            }
            return count
        }

        private mutating func fragmentAliases(_ name: String) -> Int {
            if let known = fragmentCounts[name] { return known }
            guard let fragment = context.fragment(named: name), inProgress.insert(name).inserted else { return 0 }
            let count = aliases(fragment.selectionSet)
            inProgress.remove(name)
            fragmentCounts[name] = count
            return count
        }
    }
}

/// `a + b`, stopping at `Int.max`.
func saturatingAdd(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? Int.max : sum
}

/// `a * b`, stopping at `Int.max` (both non-negative).
func saturatingMultiply(_ a: Int, _ b: Int) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? Int.max : product
}
