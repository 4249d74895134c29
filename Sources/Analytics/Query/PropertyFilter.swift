import Models

/// A condition on an event property, or on a property of the event's person (docs/reports.md, "Property filters").
/// Text comparisons use the property's text form (`properties ->> key`: strings as they are, numbers as JSON number
/// text, booleans `true`/`false`); a missing property matches only `NEQ`, `NOT_CONTAINS` and `IS_NOT_SET`; a JSON
/// `null` value is present but equals nothing.
public struct PropertyFilter: Sendable, Hashable {
    /// Whose properties the filter reads.
    public enum Source: String, Sendable, CaseIterable {
        /// The event's own properties.
        case event = "EVENT"
        /// The properties of the event's person (after identity merges) as they are when the report runs; an event
        /// whose distinct id has no person has none.
        case person = "PERSON"
    }

    /// The operators.
    public enum Operator: String, Sendable, CaseIterable {
        /// Text equal.
        case eq = "EQ"
        /// Missing or text not equal.
        case neq = "NEQ"
        /// Case-insensitive substring.
        case contains = "CONTAINS"
        /// Missing or not containing (case-insensitive).
        case notContains = "NOT_CONTAINS"
        /// PostgreSQL regular expression match on the text.
        case regex = "REGEX"
        /// Numeric comparisons; only JSON numbers match.
        case gt = "GT", gte = "GTE", lt = "LT", lte = "LTE"
        /// The key is present (even with a JSON null).
        case isSet = "IS_SET"
        /// The key is absent.
        case isNotSet = "IS_NOT_SET"
        /// Text equal to one element of a JSON array.
        case `in` = "IN"
    }

    /// The property key.
    public var key: String
    /// The operator.
    public var op: Operator
    /// The operand (unused by `IS_SET`/`IS_NOT_SET`).
    public var value: JSON?
    /// Whose properties it reads.
    public var source: Source

    /// Creates a filter; `validated()` checks the operand.
    public init(key: String, op: Operator, value: JSON? = nil, source: Source = .event) {
        self.key = key
        self.op = op
        self.value = value
        self.source = source
    }

    /// The operand's text, as `->>` would render it.
    static func text(_ value: JSON) -> String? {
        switch value {
        case .string(let text): text
        case .null: nil
        default: value.jsonString
        }
    }

    /// Checks the operand fits the operator.
    func validate() throws(ServiceError) {
        guard !key.isEmpty, key.utf8.count <= 200 else { throw .badInput("property filter keys are 1 to 200 bytes") }
        switch op {
        case .isSet, .isNotSet:
            return
        case .gt, .gte, .lt, .lte:
            guard value?.doubleValue != nil else { throw .badInput("\(op.rawValue) on '\(key)' needs a number value") }
        case .in:
            guard let items = value?.arrayValue, !items.isEmpty, items.count <= 1_000,
                items.allSatisfy({ Self.text($0) != nil && $0.arrayValue == nil && $0.objectValue == nil })
            else { throw .badInput("IN on '\(key)' needs a non-empty array (at most 1000) of strings, numbers or booleans") }
        case .regex:
            guard let pattern = value?.stringValue, !pattern.isEmpty, pattern.utf8.count <= 1_000 else {
                throw .badInput("REGEX on '\(key)' needs a pattern string")
            }
        case .eq, .neq, .contains, .notContains:
            guard let value, Self.text(value) != nil, value.arrayValue == nil, value.objectValue == nil else {
                throw .badInput("\(op.rawValue) on '\(key)' needs a string, number or boolean value")
            }
        }
    }

    /// The SQL condition on `column` (a jsonb expression); the key and the operand are bound, never written.
    func sql(on column: SQLText, _ builder: inout SQLBuilder) -> SQLText {
        let key = builder.bind(self.key)
        let text: SQLText = "(\(column) ->> \(key))"
        switch op {
        case .eq:
            return "\(text) = \(builder.bind(Self.text(value!)!))"
        case .neq:
            return "\(text) IS DISTINCT FROM \(builder.bind(Self.text(value!)!))"
        case .contains:
            return "strpos(lower(\(text)), lower(\(builder.bind(Self.text(value!)!)))) > 0"
        case .notContains:
            return "COALESCE(strpos(lower(\(text)), lower(\(builder.bind(Self.text(value!)!)))) = 0, true)"
        case .regex:
            return "COALESCE(\(text) ~ \(builder.bind(value!.stringValue!)), false)"
        case .gt, .gte, .lt, .lte:
            let symbol: SQLText =
                switch op {
                case .gt: ">"
                case .gte: ">="
                case .lt: "<"
                default: "<="
                }
            let number = builder.bind(value!.doubleValue!)
            return """
                (CASE WHEN jsonb_typeof(\(column) -> \(key)) = 'number' THEN (\(column) ->> \(key))::float8 \(symbol) \(number) \
                ELSE false END)
                """
        case .isSet:
            return "(\(column) ? \(key))"
        case .isNotSet:
            return "NOT (\(column) ? \(key))"
        case .in:
            let items = value!.arrayValue!.compactMap(Self.text)
            return "\(text) = ANY(\(builder.bind(items)))"
        }
    }
}
