import Synchronization

/// What the planner needs to collect fields: the schema, fragments, resolvers and the variables
/// that `@skip`/`@include` read. Plans built from one context are valid for every request whose
/// directive variables have the same values.
final class PlanContext: Sendable {
    /// The schema.
    let schema: GraphQLSchema
    /// Fragments by name.
    let fragments: [String: FragmentDefinitionNode]
    /// The resolvers.
    let resolvers: ResolverTable
    /// Coerced variables of the request that built the plans (only `@skip`/`@include` read them).
    let variables: OrderedObject
    private let rootCache = Mutex<[FieldPlan]?>(nil)

    /// Creates a context.
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
/// A context keeps only those variables, so a request's large variable values are not retained; every context
/// after the first must be paid for by `chargeForContext` (the document cache's byte budget).
final class PlanCache: Sendable {
    private struct Key: Hashable {
        let operation: String?
        let values: [Value?]
    }

    private let directiveVariables: [String]
    private let entries = Mutex<[Key: PlanContext]>([:])
    private let charge = Mutex<(@Sendable () -> Bool)?>(nil)
    private static let capacity = 32
    /// Estimated bytes of one context's plans per byte of document source (measured at up to ~55 for documents
    /// dense with aliased fields; plans keep the field nodes, definitions and coerced constant arguments).
    static let estimatedBytesPerSourceByte = 64
    /// The document's operations, in order.
    let operations: [OperationDefinitionNode]
    /// The document's fragments by name (the first of each name).
    let fragments: [String: FragmentDefinitionNode]

    /// Indexes `document` and finds the variables that `@skip`/`@include` read anywhere in it.
    init(document: DocumentNode) {
        (operations, fragments) = PreparedOperation.index(document)
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

    /// The variables each cached context keeps (only those `@skip`/`@include` read).
    var contextVariables: [OrderedObject] { entries.withLock { $0.values.map(\.variables) } }

    /// Makes every context after the first one ask `charge` first; it answers whether there is room for one more
    /// context's plans (nil, the default, always has room).
    func chargeForContext(_ charge: @escaping @Sendable () -> Bool) { self.charge.withLock { $0 = charge } }

    /// The cached context for these variable values, or a new one (cached while there is room): `make` gets only
    /// the variables `@skip`/`@include` read.
    func context(
        for variables: OrderedObject, operation: OperationDefinitionNode, make: (OrderedObject) -> PlanContext
    ) -> PlanContext {
        let values = directiveVariables.map { variables[$0] }
        let key = Key(operation: operation.name?.value, values: values)
        let (cached, count) = entries.withLock { ($0[key], $0.count) }
        if let cached { return cached }
        var kept = OrderedObject()
        for (name, value) in zip(directiveVariables, values) { if let value { kept[name] = value } }
        let context = make(kept)
        let charge = self.charge.withLock { $0 }
        guard count < PlanCache.capacity, count == 0 || charge?() ?? true else { return context }
        entries.withLock { entries in
            if entries.count < PlanCache.capacity { entries[key] = context }
        }
        return context
    }
}

/// The fields selected on one object type, with their response keys (shared by every result object).
struct SelectionPlan: Sendable {
    /// The planned fields in response order.
    let fields: [FieldPlan]
    /// Their response keys.
    let keys: [String]
}

extension OrderedObject {
    /// An object from keys known to be distinct and their values.
    init(distinctKeys keys: [String], values: [Value]) {
        self.init()
        keyStorage = keys
        valueStorage = values
        if keys.count >= Self.indexThreshold { rebuildLookup() }
    }
}

/// A list or non-null wrapper of a field's type.
enum TypeWrapper: UInt8, Sendable {
    /// `T!`.
    case nonNull
    /// `[T]`.
    case list
}

/// How a leaf value is serialised: the specified scalars have inline fast paths.
enum LeafKind: Sendable {
    /// Objects, interfaces and unions.
    case notLeaf
    /// The specified `String`.
    case string
    /// The specified `ID`.
    case id
    /// The specified `Int`.
    case int
    /// The specified `Float`.
    case float
    /// The specified `Boolean`.
    case boolean
    /// Any other scalar: its `serialize`.
    case scalar(GraphQLScalarType)
    /// An enum: its `serialize`.
    case enumType(GraphQLEnumType)

    /// The kind for a named type.
    init(_ type: GraphQLNamedType) {
        switch type {
        case .scalar(let scalar):
            if scalar === GraphQLScalarType.string {
                self = .string
            } else if scalar === GraphQLScalarType.id {
                self = .id
            } else if scalar === GraphQLScalarType.int {
                self = .int
            } else if scalar === GraphQLScalarType.float {
                self = .float
            } else if scalar === GraphQLScalarType.boolean {
                self = .boolean
            } else {
                self = .scalar(scalar)
            }
        case .enumType(let enumType):
            self = .enumType(enumType)
        default:
            self = .notLeaf
        }
    }
}

/// Meta-fields handled by the executor itself.
enum FieldKind: Sendable {
    /// An ordinary field (or `__schema`/`__type`, which have built-in resolvers).
    case normal
    /// `__typename`.
    case typename
}

/// One response key of a selection set on a concrete object type, with everything execution needs
/// resolved up front: the field definition, resolver, named return type and (when no variables are
/// involved) the coerced arguments. Child selections are planned lazily per runtime object type.
final class FieldPlan: Sendable {
    /// What child plans are built from.
    let context: PlanContext
    /// The alias or name.
    let responseKey: String
    /// The field name.
    let fieldName: String
    /// Ordinary field or `__typename`.
    let kind: FieldKind
    /// The field definition.
    let definition: GraphQLField
    /// The field nodes merged under the response key.
    let fieldNodes: [FieldNode]
    /// The object type the field is selected on.
    let parentType: GraphQLObjectType
    /// The declared type.
    let returnType: TypeReference
    /// The innermost named type.
    let namedType: GraphQLNamedType
    /// The user resolver (or the custom default resolver); nil means the built-in default.
    let resolver: FieldResolver?
    /// The built-in resolver of introspection fields (which take precedence over `resolver`).
    let introspect: IntrospectionField?
    /// Arguments coerced at planning time; nil when they depend on variables or failed to coerce.
    let constantArguments: Arguments?
    /// Why the constant arguments failed to coerce.
    let argumentError: GraphQLError?
    /// The return type's wrappers, outermost first (`[Int!]!` is nonNull, list, nonNull).
    let wrappers: [TypeWrapper]
    /// How leaf values are serialised.
    let leaf: LeafKind
    /// True when the built-in default resolver applies (no resolver, not `__typename`).
    let usesBuiltinDefault: Bool
    /// Where the field's key was last found in a `Value.object` parent (objects of a list share layouts).
    let lookupHint = Atomic<Int>(0)
    private let state = Mutex(LazyState())

    /// Child plans and the sync analysis, filled in on first use.
    struct LazyState {
        var children: [ObjectIdentifier: SelectionPlan] = [:]
        var subtreeSync: Bool?
    }

    /// Plans one field; coerces its arguments now when they use no variables.
    init(
        context: PlanContext, responseKey: String, kind: FieldKind, definition: GraphQLField, fieldNodes: [FieldNode],
        parentType: GraphQLObjectType, namedType: GraphQLNamedType, resolver: FieldResolver?,
        introspect: IntrospectionField?
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
        self.introspect = introspect
        var wrappers: [TypeWrapper] = []
        var type = definition.type
        while true {
            switch type {
            case .nonNull(let inner):
                wrappers.append(.nonNull)
                type = inner
                continue
            case .list(let inner):
                wrappers.append(.list)
                type = inner
                continue
            case .named:
                break
            }
            break
        }
        self.wrappers = wrappers
        self.leaf = LeafKind(namedType)
        if case .normal = kind, resolver == nil, introspect == nil {
            usesBuiltinDefault = true
        } else {
            usesBuiltinDefault = false
        }
        let arguments = fieldNodes[0].arguments
        var constant: Arguments?
        var failure: GraphQLError?
        if definition.args.isEmpty {
            constant = .empty
        } else if !arguments.contains(where: { containsVariable($0.value) }) {
            do throws(GraphQLError) {
                constant = try getArgumentValues(
                    definitions: definition.args, nodes: arguments, node: fieldNodes[0], schema: context.schema,
                    variables: context.variables)
            } catch {
                failure = error
            }
        }
        constantArguments = constant
        argumentError = failure
    }

    /// The coerced arguments for a request's variables.
    func arguments(_ variables: OrderedObject) throws(GraphQLError) -> Arguments {
        if let constantArguments { return constantArguments }
        if let argumentError { throw argumentError }
        return try getArgumentValues(
            definitions: definition.args, nodes: fieldNodes[0].arguments, node: fieldNodes[0], schema: context.schema,
            variables: variables)
    }

    /// The sub-fields selected on `objectType` (graphql-js `collectSubfields`), planned once.
    func children(for objectType: GraphQLObjectType) throws(GraphQLError) -> SelectionPlan {
        let key = ObjectIdentifier(objectType)
        if let cached = state.withLock({ $0.children[key] }) { return cached }
        var selectionSets: [SelectionSetNode] = []
        for node in fieldNodes {
            if let selectionSet = node.selectionSet { selectionSets.append(selectionSet) }
        }
        let plans = try collectFields(context, objectType: objectType, selectionSets: selectionSets)
        let selection = SelectionPlan(fields: plans, keys: plans.map(\.responseKey))
        state.withLock { $0.children[key] = selection }
        return selection
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
            guard let plans = try? children(for: objectType).fields else { return false }
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
        var introspect: IntrospectionField?
        if kind == .normal, fieldName.hasPrefix("__") || objectType.name.hasPrefix("__") {
            introspect = IntrospectionField(objectType.name, fieldName)
        }
        var resolver: FieldResolver?
        if introspect == nil, kind == .normal {
            resolver = context.resolvers.fields[objectType.name]?[fieldName]
            if resolver == nil, let custom = context.resolvers.defaultResolver { resolver = .sync(custom) }
        }
        plans.append(
            FieldPlan(
                context: context, responseKey: key, kind: kind, definition: definition, fieldNodes: nodes,
                parentType: objectType, namedType: namedType, resolver: resolver, introspect: introspect))
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
