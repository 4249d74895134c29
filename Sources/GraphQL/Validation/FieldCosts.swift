/// What particular fields cost in `QueryCostRule`, set by the server that owns the schema (the engine knows no
/// field's real cost): a fixed weight, or an estimate from the field's arguments. A field not listed costs 1.
/// Keys are schema coordinates, `Type.field`, with the type the field is selected on.
public struct FieldCosts: Sendable {
    /// Estimates a field's own cost from its arguments; called during validation, so it must be cheap and pure.
    public typealias Estimator = @Sendable (FieldCostArguments) -> Int

    /// A field's own cost (its selections are counted on top, as for every field), or its whole cost.
    public enum Cost: Sendable {
        /// Always this much.
        case weight(Int)
        /// Computed from the arguments known when the cost is checked.
        case estimate(Estimator)
        /// Always this much with everything selected below it: for a field whose work is done once however much of
        /// its answer is selected (the selections only pick parts of what it computed anyway).
        case total(Int)
    }

    private var costs: [String: [String: Cost]] = [:]

    /// No field costs more than 1.
    public init() {}

    /// Sets the cost of the field `field` of `type`.
    public mutating func set(_ type: String, _ field: String, _ cost: Cost) {
        costs[type, default: [:]][field] = cost
    }

    /// The cost set for the field `field` of `type`, if any.
    public func cost(_ type: String, _ field: String) -> Cost? { costs[type]?[field] }

    /// True when no field has a cost of its own.
    public var isEmpty: Bool { costs.isEmpty }
}

/// A field's arguments as far as they are known when its cost is computed: literals and variables whose values are
/// known (the request's variables at execution; only variable defaults during validation of a cached document).
public struct FieldCostArguments: Sendable {
    /// Argument values by name, in definition order. An argument or input-object field that is not given holds its
    /// default, or null without one; one given as a variable whose value is not known is left out, and a list item
    /// given so is null. Leaf values are untyped: numbers, strings (enum values by name) and booleans.
    public let values: OrderedObject
    /// True when some argument, input field or list item was a variable without a known value.
    public let hasUnknownValues: Bool

    /// Creates arguments (`QueryCostRule` does this for the estimators).
    public init(values: OrderedObject, hasUnknownValues: Bool) {
        self.values = values
        self.hasUnknownValues = hasUnknownValues
    }

    /// The value of the argument `name`; nil when it is not known.
    public subscript(name: String) -> Value? { values[name] }
}
