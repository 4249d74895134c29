/// Everything one execution shares: schema, operation, coerced variables, root value and context.
final class ExecutionRequest: Sendable {
    /// The schema.
    let schema: GraphQLSchema
    /// The operation.
    let operation: OperationDefinitionNode
    /// The planning context (fragments, resolvers).
    let plan: PlanContext
    /// Coerced variables.
    let variables: OrderedObject
    /// The root value.
    let rootValue: any Sendable
    /// The user context.
    let context: any Sendable

    /// Creates a request.
    init(
        schema: GraphQLSchema, operation: OperationDefinitionNode, plan: PlanContext, variables: OrderedObject,
        rootValue: any Sendable, context: any Sendable
    ) {
        self.schema = schema
        self.operation = operation
        self.plan = plan
        self.variables = variables
        self.rootValue = rootValue
        self.context = context
    }
}

/// What a resolver knows about the field it resolves (graphql-js `GraphQLResolveInfo`).
public struct ResolveInfo: Sendable {
    /// The planned field.
    let field: FieldPlan
    /// The request.
    let request: ExecutionRequest
    /// The response path of the field, e.g. `["users", 0, "name"]`.
    public let path: [PathComponent]

    /// Creates the info for one field.
    init(field: FieldPlan, request: ExecutionRequest, path: [PathComponent]) {
        self.field = field
        self.request = request
        self.path = path
    }

    /// The field's name (not its alias).
    public var fieldName: String { field.fieldName }
    /// The field's response key (its alias, or its name).
    public var responseKey: String { field.responseKey }
    /// Every field node merged into this response key.
    public var fieldNodes: [FieldNode] { field.fieldNodes }
    /// The field's declared type.
    public var returnType: TypeReference { field.returnType }
    /// The object type the field belongs to.
    public var parentType: GraphQLObjectType { field.parentType }
    /// The field definition.
    public var fieldDefinition: GraphQLField { field.definition }
    /// The schema.
    public var schema: GraphQLSchema { request.schema }
    /// The document's fragments by name.
    public var fragments: [String: FragmentDefinitionNode] { request.plan.fragments }
    /// The operation being executed.
    public var operation: OperationDefinitionNode { request.operation }
    /// The coerced variable values.
    public var variableValues: OrderedObject { request.variables }
    /// The root value the operation started from.
    public var rootValue: any Sendable { request.rootValue }
}

/// A resolved value on its way through completion: JSON-like `Value`s stay unboxed on the fast path.
enum ResolvedValue: Sendable {
    /// JSON-like data.
    case value(Value)
    /// Any other Swift value, boxed so that `ResolvedValue` stays cheap to copy.
    case other(OtherValue)
    /// An introspection object (`__Type`, `__Field`, …).
    case meta(IntrospectionSource)
    /// A list of introspection objects.
    case metaList([IntrospectionSource])

    /// No value.
    static let null = ResolvedValue.value(.null)

    /// Wraps a resolver result, unboxing `Value`s.
    init(_ result: (any Sendable)?) {
        guard let result else {
            self = .null
            return
        }
        if let value = result as? Value {
            self = .value(value)
        } else {
            self = .other(OtherValue(result))
        }
    }

    /// The value as resolvers see their parent.
    var boxed: any Sendable {
        switch self {
        case .value(let value): return value
        case .other(let box): return box.value
        case .meta(let source): return source
        case .metaList(let sources): return sources
        }
    }

    /// True for `null`.
    var isNull: Bool {
        if case .value(.null) = self { return true }
        return false
    }
}

/// Turns anything a resolver threw into a located field error (graphql-js `locatedError`): errors that
/// already carry a path are kept; locations default to the field's nodes; codes are preserved.
func locatedError(_ error: any Error, _ field: FieldPlan, _ path: [PathComponent]) -> GraphQLError {
    if var graphQLError = error as? GraphQLError {
        if graphQLError.path != nil { return graphQLError }
        if graphQLError.locations.isEmpty {
            graphQLError.locations = field.fieldNodes.compactMap { $0.loc.isUnknown ? nil : $0.loc.sourceLocation }
        }
        graphQLError.path = path
        return graphQLError
    }
    var located = GraphQLError(String(describing: error), nodes: field.fieldNodes, path: path)
    if let coded = error as? any GraphQLCodedError { located.code = coded.code }
    return located
}

/// The built-in default resolver: the parent's property named like the field (graphql-js `defaultFieldResolver`).
@inline(__always)
func defaultResolve(_ source: ResolvedValue, _ fieldName: String) -> ResolvedValue {
    switch source {
    case .value(.object(let object)):
        return .value(object[fieldName] ?? .null)
    case .value:
        return .null
    case .other(let box):
        let other = box.value
        if let dictionary = other as? [String: any Sendable] { return ResolvedValue(flattenAny(dictionary[fieldName])) }
        if let readable = other as? any GraphQLPropertyReadable { return ResolvedValue(readable.graphQLProperty(fieldName)) }
        return .null
    case .meta, .metaList:
        return .null
    }
}

private func flattenAny(_ value: (any Sendable)?) -> (any Sendable)? {
    guard let value else { return nil }
    return flattenOptional(value)
}

/// Converts a non-`Value` leaf result (Swift scalars, enums, `GraphQLLeafConvertible`) before output coercion.
func leafValue(_ other: any Sendable) -> Value? {
    switch other {
    case let string as String: return .string(string)
    case let int as Int: return .int(int)
    case let double as Double: return .double(double)
    case let bool as Bool: return .bool(bool)
    case let convertible as any GraphQLLeafConvertible: return convertible.graphQLValue
    case let float as Float: return .double(Double(float))
    case let integer as any BinaryInteger: return Int(exactly: integer).map(Value.int) ?? .double(Double(integer))
    case let raw as any RawRepresentable:
        switch raw.rawValue {
        case let string as String: return .string(string)
        case let int as Int: return .int(int)
        default: return nil
        }
    case let substring as Substring: return .string(String(substring))
    default: return nil
    }
}

/// A resolver result that is not a `Value`, in a class box so that copying a `ResolvedValue` is a retain.
final class OtherValue: Sendable {
    /// The value.
    let value: any Sendable

    /// Boxes a value.
    init(_ value: any Sendable) { self.value = value }
}
