import PostgresNIO

/// Builds one SQL statement from fragments, binding every value as a parameter (`$1`, `$2`, …): report SQL is
/// assembled from the input's shape, never from its values.
struct SQLBuilder {
    private(set) var text = ""
    private(set) var bindings = PostgresBindings()

    /// Appends SQL text.
    mutating func append(_ sql: String) { text += sql }

    /// Binds `value` and returns its placeholder.
    mutating func bind<Value: PostgresNonThrowingEncodable>(_ value: Value) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    /// Binds an optional value (SQL NULL for nil).
    mutating func bind<Value: PostgresNonThrowingEncodable>(_ value: Value?) -> String {
        if let value { bindings.append(value) } else { bindings.appendNull() }
        return "$\(bindings.count)"
    }

    /// The statement.
    var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: bindings) }
}
