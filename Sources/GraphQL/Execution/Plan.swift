import Synchronization

/// What the planner needs to collect fields: the schema, fragments, resolvers and the variables
/// that `@skip`/`@include` read. Plans built from one context are valid for every request whose
/// directive variables have the same values.
final class PlanContext: Sendable {
    let schema: GraphQLSchema
    let fragments: [String: FragmentDefinitionNode]
    let resolvers: ResolverTable
    let variables: OrderedObject
    private let rootCache = Mutex<[FieldPlan]?>(nil)

    init(
        schema: GraphQLSchema, fragments: [String: FragmentDefinitionNode], resolvers: ResolverTable,
        variables: OrderedObject
    ) {
        self.schema = schema
        self.fragments = fragments
        self.resolvers = resolvers
        self.variables = variables
    }
}

extension PlanContext {
    /// The planned root fields of `operation`, built once per context.
    func rootFields(_ rootType: GraphQLObjectType, operation: OperationDefinitionNode) throws(GraphQLError) -> [FieldPlan] {
        if let cached = rootCache.withLock({ $0 }) { return cached }
        let plans = try collectFields(self, objectType: rootType, selectionSets: [operation.selectionSet])
        rootCache.withLock { $0 = plans }
        return plans
    }
}

/// Plans of one document reused across executions, keyed by operation and by the values of the
/// variables that `@skip`/`@include` read (the only way variables change which fields are collected).
final class PlanCache: Sendable {
    private struct Key: Hashable {
        let operation: String?
        let values: [Value?]
    }

    private let directiveVariables: [String]
    private let entries = Mutex<[Key: PlanContext]>([:])
    private static let capacity = 32

    init(document: DocumentNode) {
        var names: Set<String> = []
        func visitSelections(_ selections: [SelectionNode]) {
            for selection in selections {
                for directive in selection.directives where directive.name.value == "skip" || directive.name.value == "include" {
                    for argument in directive.arguments {
                        if case .variable(let variable) = argument.value { names.insert(variable.name.value) }
                    }
                }
                switch selection {
                case .field(let field): visitSelections(field.selectionSet?.selections ?? [])
                case .inlineFragment(let fragment): visitSelections(fragment.selectionSet.selections)
                case .fragmentSpread: break
                }
            }
        }
        for definition in document.definitions {
            switch definition {
            case .operation(let operation): visitSelections(operation.selectionSet.selections)
            case .fragment(let fragment): visitSelections(fragment.selectionSet.selections)
            default: break
            }
        }
        directiveVariables = names.sorted()
    }

    /// The cached context for these variable values, or a new one (cached while there is room).
    func context(
        for variables: OrderedObject, operation: OperationDefinitionNode, make: () -> PlanContext
    ) -> PlanContext {
        let key = Key(operation: operation.name?.value, values: directiveVariables.map { variables[$0] })
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let context = make()
        entries.withLock { entries in
            if entries.count < PlanCache.capacity { entries[key] = context }
        }
        return context
    }
}

/// Meta-fields handled by the executor itself.
enum FieldKind: Sendable {
    case normal
    case typename
}

/// One response key of a selection set on a concrete object type, with everything execution needs
/// resolved up front: the field definition, resolver, named return type and (when no variables are
/// involved) the coerced arguments. Child selections are planned lazily per runtime object type.
final class FieldPlan: Sendable {
    let context: PlanContext
    let responseKey: String
    let fieldName: String
    let kind: FieldKind
    let definition: GraphQLField
    let fieldNodes: [FieldNode]
    let parentType: GraphQLObjectType
    let returnType: TypeReference
    let namedType: GraphQLNamedType
    let resolver: FieldResolver?
    /// Arguments coerced at planning time; nil when they depend on variables.
    let constantArguments: Result<Arguments, GraphQLError>?
    private let state = Mutex(LazyState())

    struct LazyState {
        var children: [ObjectIdentifier: [FieldPlan]] = [:]
        var subtreeSync: Bool?
    }

    init(
        context: PlanContext, responseKey: String, kind: FieldKind, definition: GraphQLField, fieldNodes: [FieldNode],
        parentType: GraphQLObjectType, namedType: GraphQLNamedType, resolver: FieldResolver?
    ) {
        self.context = context
        self.responseKey = responseKey
        self.fieldName = definition.name
        self.kind = kind
        self.definition = definition
        self.fieldNodes = fieldNodes
        self.parentType = parentType
        self.returnType = definition.type
        self.namedType = namedType
        self.resolver = resolver
        let arguments = fieldNodes[0].arguments
        if definition.args.isEmpty {
            constantArguments = .success(.empty)
        } else if arguments.contains(where: { containsVariable($0.value) }) {
            constantArguments = nil
        } else {
            do throws(GraphQLError) {
                constantArguments = .success(
                    try getArgumentValues(
                        definitions: definition.args, nodes: arguments, node: fieldNodes[0], schema: context.schema,
                        variables: context.variables))
            } catch {
                constantArguments = .failure(error)
            }
        }
    }

    /// The coerced arguments for a request's variables.
    func arguments(_ variables: OrderedObject) throws(GraphQLError) -> Arguments {
        if let constantArguments { return try constantArguments.get() }
        return try getArgumentValues(
            definitions: definition.args, nodes: fieldNodes[0].arguments, node: fieldNodes[0], schema: context.schema,
            variables: variables)
    }

    /// The sub-fields selected on `objectType` (graphql-js `collectSubfields`), planned once.
    func children(for objectType: GraphQLObjectType) throws(GraphQLError) -> [FieldPlan] {
        let key = ObjectIdentifier(objectType)
        if let cached = state.withLock({ $0.children[key] }) { return cached }
        var selectionSets: [SelectionSetNode] = []
        for node in fieldNodes {
            if let selectionSet = node.selectionSet { selectionSets.append(selectionSet) }
        }
        let plans = try collectFields(context, objectType: objectType, selectionSets: selectionSets)
        state.withLock { $0.children[key] = plans }
        return plans
    }

    /// True when no resolver in this field's subtree (its own included) is asynchronous, so the whole
    /// subtree can complete without suspending.
    func isSubtreeSync(depth: Int = 0) -> Bool {
        if let known = state.withLock({ $0.subtreeSync }) { return known }
        let result = computeSubtreeSync(depth: depth)
        state.withLock { $0.subtreeSync = result }
        return result
    }

    private func computeSubtreeSync(depth: Int) -> Bool {
        if resolver?.isAsync == true { return false }
        if !context.resolvers.hasAsync { return true }
        // Unvalidated documents may nest fragments without end; give up on the fast path instead.
        if depth > 64 { return false }
        let objectTypes: [GraphQLObjectType]
        switch namedType {
        case .object(let objectType): objectTypes = [objectType]
        case .interface, .union: objectTypes = context.schema.possibleTypes(of: namedType)
        default: return true
        }
        for objectType in objectTypes {
            guard let plans = try? children(for: objectType) else { return false }
            for plan in plans where !plan.isSubtreeSync(depth: depth + 1) { return false }
        }
        return true
    }
}

private func containsVariable(_ node: ValueNode) -> Bool {
    switch node {
    case .variable: return true
    case .list(let list): return list.values.contains(where: containsVariable)
    case .object(let object): return object.fields.contains { containsVariable($0.value) }
    default: return false
    }
}

/// Groups the fields selected on `objectType` by response key, in document order, applying fragments
/// and `@skip`/`@include` (graphql-js `collectFields`), and plans each group.
func collectFields(
    _ context: PlanContext, objectType: GraphQLObjectType, selectionSets: [SelectionSetNode]
) throws(GraphQLError) -> [FieldPlan] {
    var collector = FieldCollector(context: context, objectType: objectType)
    for selectionSet in selectionSets {
        try collector.collect(selectionSet)
    }
    var plans: [FieldPlan] = []
    plans.reserveCapacity(collector.order.count)
    let schema = context.schema
    for key in collector.order {
        guard let nodes = collector.groups[key] else { continue }
        let fieldName = nodes[0].name.value
        var kind = FieldKind.normal
        let definition: GraphQLField
        if fieldName == "__typename" {
            definition = Introspection.typeNameMetaField
            kind = .typename
        } else if fieldName == "__schema", objectType === schema.queryType {
            definition = Introspection.schemaMetaField
        } else if fieldName == "__type", objectType === schema.queryType {
            definition = Introspection.typeMetaField
        } else if let field = objectType.fields[fieldName] {
            definition = field
        } else {
            continue
        }
        guard let namedType = schema.namedType(of: definition.type) else { continue }
        var resolver = context.resolvers.fields[objectType.name]?[fieldName]
        if resolver == nil, fieldName.hasPrefix("__") || objectType.name.hasPrefix("__") {
            resolver = IntrospectionResolvers.resolver(objectType.name, fieldName)
        }
        plans.append(
            FieldPlan(
                context: context, responseKey: key, kind: kind, definition: definition, fieldNodes: nodes,
                parentType: objectType, namedType: namedType, resolver: resolver))
    }
    return plans
}

private struct FieldCollector {
    let context: PlanContext
    let objectType: GraphQLObjectType
    var order: [String] = []
    var groups: [String: [FieldNode]] = [:]
    var visitedFragments: Set<String> = []

    init(context: PlanContext, objectType: GraphQLObjectType) {
        self.context = context
        self.objectType = objectType
    }

    mutating func collect(_ selectionSet: SelectionSetNode) throws(GraphQLError) {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                guard try shouldInclude(field.directives, schema: context.schema, variables: context.variables) else {
                    continue
                }
                let key = field.responseKey
                if groups[key] == nil {
                    order.append(key)
                    groups[key] = [field]
                } else {
                    groups[key]?.append(field)
                }
            case .inlineFragment(let fragment):
                guard try shouldInclude(fragment.directives, schema: context.schema, variables: context.variables),
                    conditionMatches(fragment.typeCondition)
                else { continue }
                try collect(fragment.selectionSet)
            case .fragmentSpread(let spread):
                let name = spread.name.value
                guard !visitedFragments.contains(name),
                    try shouldInclude(spread.directives, schema: context.schema, variables: context.variables)
                else { continue }
                visitedFragments.insert(name)
                guard let fragment = context.fragments[name], conditionMatches(fragment.typeCondition) else { continue }
                try collect(fragment.selectionSet)
            }
        }
    }

    func conditionMatches(_ condition: NamedTypeNode?) -> Bool {
        guard let condition else { return true }
        guard let conditionType = context.schema.type(named: condition.name.value) else { return false }
        if case .object(let object) = conditionType { return object === objectType }
        if conditionType.isAbstractType { return context.schema.isSubType(conditionType, .object(objectType)) }
        return false
    }
}
