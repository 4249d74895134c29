/// The rules of the spec's validation section, in graphql-js 16 `specifiedRules` order, plus graphql-js 16.9's
/// `@oneOf` checks (inside `ValuesOfCorrectTypeRule`) and `MaxIntrospectionDepthRule`.
public let specifiedRules: [any ValidationRule] = [
    ExecutableDefinitionsRule(),
    UniqueOperationNamesRule(),
    LoneAnonymousOperationRule(),
    SingleFieldSubscriptionsRule(),
    KnownTypeNamesRule(),
    FragmentsOnCompositeTypesRule(),
    VariablesAreInputTypesRule(),
    ScalarLeafsRule(),
    FieldsOnCorrectTypeRule(),
    UniqueFragmentNamesRule(),
    KnownFragmentNamesRule(),
    NoUnusedFragmentsRule(),
    PossibleFragmentSpreadsRule(),
    NoFragmentCyclesRule(),
    UniqueVariableNamesRule(),
    NoUndefinedVariablesRule(),
    NoUnusedVariablesRule(),
    KnownDirectivesRule(),
    UniqueDirectivesPerLocationRule(),
    KnownArgumentNamesRule(),
    UniqueArgumentNamesRule(),
    ValuesOfCorrectTypeRule(),
    ProvidedRequiredArgumentsRule(),
    VariablesInAllowedPositionRule(),
    OverlappingFieldsCanBeMergedRule(),
    UniqueInputFieldNamesRule(),
    MaxIntrospectionDepthRule(),
]

/// The protection rules for `limits` (not part of the spec): depth, aliases, directives per node and cost, the
/// cost counting `fieldCosts`. A limit set to nil leaves its rule out.
public func defaultProtectionRules(limits: ProtectionLimits, fieldCosts: FieldCosts = FieldCosts()) -> [any ValidationRule] {
    var rules: [any ValidationRule] = []
    if let maxDepth = limits.maxDepth { rules.append(MaxDepthRule(maxDepth: maxDepth)) }
    if let maxAliases = limits.maxAliases { rules.append(MaxAliasesRule(maxAliases: maxAliases)) }
    if let maxDirectives = limits.maxDirectivesPerField {
        rules.append(MaxDirectivesPerFieldRule(maxDirectives: maxDirectives))
    }
    if let maxCost = limits.maxCost {
        rules.append(QueryCostRule(maxCost: maxCost, defaultListSize: limits.defaultListSize, fieldCosts: fieldCosts))
    }
    return rules
}
