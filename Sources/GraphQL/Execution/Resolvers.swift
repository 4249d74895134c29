/// The raw, type-erased form of a synchronous field resolver: parent, arguments, context, info.
public typealias AnyFieldResolver =
    @Sendable (_ parent: any Sendable, _ args: Arguments, _ context: any Sendable, _ info: ResolveInfo) throws -> (any Sendable)?

/// The raw, type-erased form of an asynchronous field resolver.
public typealias AnyAsyncFieldResolver =
    @Sendable (_ parent: any Sendable, _ args: Arguments, _ context: any Sendable, _ info: ResolveInfo) async throws -> (
        any Sendable
    )?

/// Picks the object type name of a value returned for an interface or union field.
public typealias AnyTypeResolver =
    @Sendable (_ value: any Sendable, _ context: any Sendable, _ info: ResolveInfo) throws -> String?

/// A registered field resolver: synchronous resolvers never suspend.
public enum FieldResolver: Sendable {
    /// Runs without suspending; its subtree can complete on the synchronous fast path.
    case sync(AnyFieldResolver)
    /// May suspend.
    case async(AnyAsyncFieldResolver)

    /// True for `.async`.
    public var isAsync: Bool {
        if case .async = self { return true }
        return false
    }
}

/// A value that names its GraphQL object type, so interface and union fields can return it
/// without a `resolveType` hook.
public protocol GraphQLTypeNamed {
    /// The name of the object type this value belongs to.
    var graphQLTypeName: String { get }
}

/// A Swift value whose properties the default resolver can read by field name (no reflection involved).
public protocol GraphQLPropertyReadable {
    /// The value of the property named like a field, or nil when there is none.
    func graphQLProperty(_ name: String) -> (any Sendable)?
}

/// A Swift value that converts itself to a response leaf (scalars and enums).
public protocol GraphQLLeafConvertible {
    /// The value before the scalar's or enum's output coercion.
    var graphQLValue: Value { get }
}

/// An error that carries an `extensions.code`, kept when the error becomes a GraphQL field error.
public protocol GraphQLCodedError: Error {
    /// The machine-readable code, e.g. `NOT_FOUND`.
    var code: String { get }
}

/// The resolvers for a schema, keyed by type and field, plus type resolvers for abstract types.
///
/// Fields without a resolver use the default resolver: the parent's property of the field's name,
/// read from a `Value.object`, a `[String: any Sendable]` dictionary or a `GraphQLPropertyReadable`.
public struct Resolvers<Context: Sendable>: Sendable {
    /// The registered resolvers, without the context type.
    var table = ResolverTable()

    /// Creates an empty set of resolvers.
    public init() {}

    /// Replaces the built-in default resolver for fields without an entry (nil keeps the built-in one).
    public var defaultResolver: AnyFieldResolver? {
        get { table.defaultResolver }
        set { table.defaultResolver = newValue }
    }

    /// True if any registered field resolver may suspend.
    public var hasAsyncResolvers: Bool { table.hasAsync }

    /// The resolver registered for `typeName.fieldName`.
    public func resolver(_ typeName: String, _ fieldName: String) -> FieldResolver? { table.fields[typeName]?[fieldName] }

    /// The type resolver registered for an interface or union.
    public func typeResolver(_ typeName: String) -> AnyTypeResolver? { table.typeResolvers[typeName] }

    /// Registers a raw resolver.
    public mutating func setResolver(_ typeName: String, _ fieldName: String, _ resolver: FieldResolver) {
        table.fields[typeName, default: [:]][fieldName] = resolver
        if resolver.isAsync { table.hasAsync = true }
    }

    /// Registers a raw type resolver for an interface or union.
    public mutating func setTypeResolver(_ typeName: String, _ resolver: @escaping AnyTypeResolver) {
        table.typeResolvers[typeName] = resolver
    }

    /// Registers a synchronous resolver whose parent is cast to `Parent` (a mismatch is a field error).
    public mutating func field<Parent, Result: Sendable>(
        _ typeName: String, _ fieldName: String,
        _ resolve: @escaping @Sendable (Parent, Arguments, Context, ResolveInfo) throws -> Result
    ) {
        setResolver(
            typeName, fieldName,
            .sync { parent, args, context, info in
                let typedParent: Parent = try castParent(parent, info)
                let typedContext: Context = try castContext(context)
                return flattenOptional(try resolve(typedParent, args, typedContext, info))
            })
    }

    /// Registers an asynchronous resolver whose parent is cast to `Parent` (a mismatch is a field error).
    public mutating func field<Parent, Result: Sendable>(
        _ typeName: String, _ fieldName: String,
        _ resolve: @escaping @Sendable (Parent, Arguments, Context, ResolveInfo) async throws -> Result
    ) {
        setResolver(
            typeName, fieldName,
            .async { parent, args, context, info in
                let typedParent: Parent = try castParent(parent, info)
                let typedContext: Context = try castContext(context)
                return flattenOptional(try await resolve(typedParent, args, typedContext, info))
            })
    }

    /// Registers how an interface or union finds the object type of a value (by name; nil is an error).
    public mutating func type<Source>(
        _ typeName: String, _ resolve: @escaping @Sendable (Source, Context, ResolveInfo) throws -> String?
    ) {
        table.typeResolvers[typeName] = { value, context, info in
            guard let source = value as? Source else { return nil }
            let typedContext: Context = try castContext(context)
            return try resolve(source, typedContext, info)
        }
    }
}

/// The context-independent storage behind `Resolvers`, used by the (non-generic) executor.
struct ResolverTable: Sendable {
    /// Field resolvers by type name, then field name.
    var fields: [String: [String: FieldResolver]] = [:]
    /// Type resolvers by interface or union name.
    var typeResolvers: [String: AnyTypeResolver] = [:]
    /// Replaces the built-in default resolver.
    var defaultResolver: AnyFieldResolver?
    /// True once an asynchronous resolver is registered.
    var hasAsync = false
}

private func castParent<Parent>(_ parent: any Sendable, _ info: ResolveInfo) throws(GraphQLError) -> Parent {
    if let typed = parent as? Parent { return typed }
    throw GraphQLError(
        "Resolver for \"\(info.parentType.name).\(info.fieldName)\" expected a parent of type \(Parent.self), "
            + "got \(type(of: parent)).")
}

private func castContext<Context>(_ context: any Sendable) throws(GraphQLError) -> Context {
    if let typed = context as? Context { return typed }
    throw GraphQLError("Resolver expected a context of type \(Context.self), got \(type(of: context)).")
}

/// Lets completion recognise `nil` inside an existential without knowing the wrapped type.
protocol OptionalResult {
    /// True for `nil`.
    var isNone: Bool { get }
}

extension Optional: OptionalResult {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

/// nil for a `nil` optional, else the value (dynamic casts look through a non-nil optional).
func flattenOptional<T: Sendable>(_ value: T) -> (any Sendable)? {
    if let optional = value as? any OptionalResult, optional.isNone { return nil }
    return value
}

/// A list a resolver can return: any Swift array.
protocol ListResult {
    /// The elements, as resolver results.
    var resultElements: [any Sendable] { get }
}

extension Array: ListResult {
    var resultElements: [any Sendable] {
        // Only reached for arrays that arrived as `any Sendable`, and an array is `Sendable` only when its
        // elements are; `Sendable` is a marker protocol, so `Any` and `any Sendable` share one layout.
        map { unsafeBitCast($0 as Any, to: (any Sendable).self) }
    }
}
