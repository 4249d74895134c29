/// A value that can be read out of a coerced argument or variable value.
public protocol ArgumentValue {
    /// Converts a coerced input value; nil when it has another shape.
    init?(argumentValue: Value)
}

extension String: ArgumentValue {
    /// Strings (and IDs, enum names).
    public init?(argumentValue: Value) {
        guard case .string(let string) = argumentValue else { return nil }
        self = string
    }
}

extension Int: ArgumentValue {
    /// Integers, and floats that are integral.
    public init?(argumentValue: Value) {
        guard let int = argumentValue.intValue else { return nil }
        self = int
    }
}

extension Double: ArgumentValue {
    /// Floats and integers.
    public init?(argumentValue: Value) {
        guard let double = argumentValue.doubleValue else { return nil }
        self = double
    }
}

extension Bool: ArgumentValue {
    /// Booleans.
    public init?(argumentValue: Value) {
        guard case .bool(let bool) = argumentValue else { return nil }
        self = bool
    }
}

extension Value: ArgumentValue {
    /// Any value, as is.
    public init?(argumentValue: Value) { self = argumentValue }
}

extension OrderedObject: ArgumentValue {
    /// Input objects.
    public init?(argumentValue: Value) {
        guard case .object(let object) = argumentValue else { return nil }
        self = object
    }
}

extension Array: ArgumentValue where Element: ArgumentValue {
    /// Lists whose items all convert (null items do not).
    public init?(argumentValue: Value) {
        guard case .list(let items) = argumentValue else { return nil }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard let element = Element(argumentValue: item) else { return nil }
            result.append(element)
        }
        self = result
    }
}

/// The coerced arguments of a field, in schema declaration order (graphql-js `args`).
///
/// An argument that was not given and has no default is absent; an explicit `null` is `.null`.
public struct Arguments: Sendable, Hashable {
    /// The coerced values by argument name.
    public let values: OrderedObject

    /// Wraps coerced argument values.
    public init(_ values: OrderedObject = OrderedObject()) { self.values = values }

    /// No arguments.
    public static let empty = Arguments()

    /// The raw value, nil when absent.
    public subscript(name: String) -> Value? { values[name] }

    /// The value converted to `T`; nil when absent, null or of another shape.
    public subscript<T: ArgumentValue>(name: String, as type: T.Type) -> T? {
        guard let value = values[name], !value.isNull else { return nil }
        return T(argumentValue: value)
    }

    /// True if the argument was given (possibly as null) or has a default.
    public func contains(_ name: String) -> Bool { values.contains(key: name) }

    /// A string argument.
    public func string(_ name: String) -> String? { self[name, as: String.self] }
    /// An integer argument.
    public func int(_ name: String) -> Int? { self[name, as: Int.self] }
    /// A float argument.
    public func double(_ name: String) -> Double? { self[name, as: Double.self] }
    /// A boolean argument.
    public func bool(_ name: String) -> Bool? { self[name, as: Bool.self] }
    /// An input object argument.
    public func object(_ name: String) -> OrderedObject? { self[name, as: OrderedObject.self] }

    /// The arguments as a JSON object value.
    public var jsonValue: Value { .object(values) }
}
