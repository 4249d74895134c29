/// A variable reference found in an operation or fragment, with the input type and default value expected
/// where it is used (graphql-js `VariableUsage`).
public struct VariableUsage: Sendable {
    /// The `$name` node.
    public var node: VariableNode
    /// The input type expected at the usage, when known.
    public var type: TypeReference?
    /// The default value of the argument or input field the variable fills; nil when it has none.
    public var defaultValue: Value?
}

/// What rules share during one validation run (graphql-js `ValidationContext`): the schema, the document, the
/// `TypeInfo` kept in step with the walk, cached fragment and variable lookups, and the error sink.
///
/// A class because every rule's visitor holds it; it belongs to one `validate` call on one task.
public final class ValidationContext {
    /// The schema being validated against.
    public let schema: GraphQLSchema
    /// The document being validated.
    public let document: DocumentNode
    /// Type information for the node being visited.
    public let typeInfo: TypeInfo
    /// Variable values given to `validate`, if any (used by cost analysis only); nil means not known yet.
    public let variableValues: OrderedObject?
    /// When true, `QueryCostRule` leaves an operation whose cost depends on unknown variables to a later check
    /// with the request's variables (see `ValidationOptions.defersVariableCosts`).
    public let defersVariableCosts: Bool
    /// The errors reported so far.
    @exclusivity(unchecked) public private(set) var errors: [GraphQLError] = []
    /// True once `maxErrors` was exceeded; the walk stops.
    @exclusivity(unchecked) public private(set) var isAborted = false

    private let maxErrors: Int
    @exclusivity(unchecked) private var fragmentsByName: [String: FragmentDefinitionNode]?
    @exclusivity(unchecked) private var spreadsCache: [NodeKey: [FragmentSpreadNode]] = [:]
    @exclusivity(unchecked) private var referencedFragmentsCache: [NodeKey: [FragmentDefinitionNode]] = [:]
    @exclusivity(unchecked) private var variableUsagesCache: [NodeKey: [VariableUsage]] = [:]
    @exclusivity(unchecked) private var recursiveVariableUsagesCache: [NodeKey: [VariableUsage]] = [:]

    /// Creates a context; `validate` does this for you.
    public init(
        schema: GraphQLSchema, document: DocumentNode, typeInfo: TypeInfo, maxErrors: Int = 100,
        variableValues: OrderedObject? = nil, defersVariableCosts: Bool = false
    ) {
        self.schema = schema
        self.document = document
        self.typeInfo = typeInfo
        self.maxErrors = maxErrors
        self.variableValues = variableValues
        self.defersVariableCosts = defersVariableCosts
    }

    /// Records an error; past `maxErrors` adds the "Too many validation errors" error and aborts.
    public func report(_ error: GraphQLError) {
        guard !isAborted else { return }
        if errors.count >= maxErrors {
            errors.append(GraphQLError(tooManyValidationErrorsMessage))
            isAborted = true
            return
        }
        errors.append(error)
    }

    /// How many more errors may be reported before validation aborts (counting the "too many" error).
    var remainingErrorBudget: Int { isAborted ? 0 : max(0, maxErrors - errors.count) + 1 }

    // MARK: Fragments

    /// The fragment definition named `name` (the last one, if the name repeats, as graphql-js keeps it).
    public func fragment(named name: String) -> FragmentDefinitionNode? {
        if let fragmentsByName { return fragmentsByName[name] }
        var map: [String: FragmentDefinitionNode] = [:]
        for case .fragment(let fragment) in document.definitions { map[fragment.name.value] = fragment }
        fragmentsByName = map
        return map[name]
    }

    /// The fragment spreads anywhere inside `selectionSet`, not following fragments (graphql-js order).
    public func fragmentSpreads(in selectionSet: SelectionSetNode) -> [FragmentSpreadNode] {
        let key = NodeKey(selectionSet.loc)
        if let key, let cached = spreadsCache[key] { return cached }
        var spreads: [FragmentSpreadNode] = []
        var setsToVisit = [selectionSet]
        while let set = setsToVisit.popLast() {
            for selection in set.selections {
                switch selection {
                case .fragmentSpread(let spread): spreads.append(spread)
                case .field(let field): if let subSet = field.selectionSet { setsToVisit.append(subSet) }
                case .inlineFragment(let fragment): setsToVisit.append(fragment.selectionSet)
                }
            }
        }
        if let key { spreadsCache[key] = spreads }
        return spreads
    }

    /// Every fragment an operation uses, directly or through other fragments, each once.
    public func recursivelyReferencedFragments(_ operation: OperationDefinitionNode) -> [FragmentDefinitionNode] {
        let key = NodeKey(operation.loc)
        if let key, let cached = referencedFragmentsCache[key] { return cached }
        var fragments: [FragmentDefinitionNode] = []
        var collected: Set<String> = []
        var setsToVisit = [operation.selectionSet]
        while let set = setsToVisit.popLast() {
            for spread in fragmentSpreads(in: set) where collected.insert(spread.name.value).inserted {
                if let fragment = fragment(named: spread.name.value) {
                    fragments.append(fragment)
                    setsToVisit.append(fragment.selectionSet)
                }
            }
        }
        if let key { referencedFragmentsCache[key] = fragments }
        return fragments
    }

    // MARK: Variables

    /// The variable references in an operation (outside its variable definitions), in document order.
    public func variableUsages(_ operation: OperationDefinitionNode) -> [VariableUsage] {
        variableUsages(of: .operation(operation))
    }

    /// The variable references in a fragment, in document order.
    public func variableUsages(_ fragment: FragmentDefinitionNode) -> [VariableUsage] {
        variableUsages(of: .fragment(fragment))
    }

    /// The variable references of an operation and of every fragment it uses.
    public func recursiveVariableUsages(_ operation: OperationDefinitionNode) -> [VariableUsage] {
        let key = NodeKey(operation.loc)
        if let key, let cached = recursiveVariableUsagesCache[key] { return cached }
        var usages = variableUsages(operation)
        for fragment in recursivelyReferencedFragments(operation) { usages += variableUsages(fragment) }
        if let key { recursiveVariableUsagesCache[key] = usages }
        return usages
    }

    private func variableUsages(of definition: DefinitionNode) -> [VariableUsage] {
        let key = NodeKey(definition.loc)
        if let key, let cached = variableUsagesCache[key] { return cached }
        // Most definitions reference no variable: a plain scan avoids a second walk with type info.
        guard VariableScan.mayReferenceVariables(definition) else {
            if let key { variableUsagesCache[key] = [] }
            return []
        }
        var finder = VariableUsageFinder(schema: schema)
        finder.find(in: definition)
        let usages = finder.usages
        if let key { variableUsagesCache[key] = usages }
        return usages
    }

    // MARK: Type information

    /// The output type of the current field, operation or fragment.
    public var type: TypeReference? { typeInfo.type }
    /// The composite type whose selection set is being visited.
    public var parentType: GraphQLNamedType? { typeInfo.parentType }
    /// The input type expected at the current value.
    public var inputType: TypeReference? { typeInfo.inputType }
    /// The input type enclosing the current one.
    public var parentInputType: TypeReference? { typeInfo.parentInputType }
    /// The definition of the current field.
    public var fieldDef: GraphQLField? { typeInfo.fieldDef }
    /// The directive being visited.
    public var directive: GraphQLDirective? { typeInfo.directive }
    /// The argument being visited.
    public var argument: GraphQLArgument? { typeInfo.argument }
}

/// Identifies a parsed node by its source range; nodes without a location are not cached.
struct NodeKey: Hashable {
    /// UTF-8 offset of the node's first token.
    let start: Int
    /// UTF-8 offset just past the node's last token.
    let end: Int

    /// The key of a node at `location`; nil for nodes without a location.
    init?(_ location: Location) {
        guard !location.isUnknown else { return nil }
        start = location.start
        end = location.end
    }
}

/// A cheap scan for `$variable` references in an executable definition (outside its variable definitions),
/// answering true whenever one may exist so that only definitions with variables get a typed walk.
private enum VariableScan {
    static func mayReferenceVariables(_ definition: DefinitionNode) -> Bool {
        switch definition {
        case .operation(let operation):
            return directives(operation.directives) || selectionSet(operation.selectionSet)
        case .fragment(let fragment):
            return directives(fragment.directives) || selectionSet(fragment.selectionSet)
        default:
            return true
        }
    }

    private static func selectionSet(_ set: SelectionSetNode) -> Bool {
        for selection in set.selections {
            switch selection {
            case .field(let field):
                for argument in field.arguments where value(argument.value) { return true }
                if directives(field.directives) { return true }
                if let subSet = field.selectionSet, selectionSet(subSet) { return true }
            case .fragmentSpread(let spread):
                if directives(spread.directives) { return true }
            case .inlineFragment(let fragment):
                if directives(fragment.directives) || selectionSet(fragment.selectionSet) { return true }
            }
        }
        return false
    }

    private static func directives(_ directives: [DirectiveNode]) -> Bool {
        for directive in directives {
            for argument in directive.arguments where value(argument.value) { return true }
        }
        return false
    }

    private static func value(_ node: ValueNode) -> Bool {
        switch node {
        case .variable: return true
        case .list(let list): return list.values.contains { value($0) }
        case .object(let object): return object.fields.contains { value($0.value) }
        default: return false
        }
    }
}
