// The one place where report SQL text is assembled. Every report statement that is put together from pieces (the
// reports, the event explorer, the rollup reader and builder) goes through `SQLBuilder`, and `SQLBuilder` hands
// its text to `PostgresQuery(unsafeSQL:)`. That is safe by construction, not by care at each call site:
//
// - `SQLBuilder.append` takes only `SQLText`, never a `String`.
// - `SQLText` can only be made from string literals written in this target's source, from placeholders (`$1`,
//   `$2`, …) returned by `SQLBuilder.bind`, from integers (their decimal digits), from the raw values of closed
//   enums whose every case is written in the source (`init(trusted:)`), and from other `SQLText` by
//   interpolation or joining. Its string literal type is `StaticString`, so not even `init(stringLiteral:)` accepts
//   a computed string, and its interpolation accepts nothing but `SQLText`.
// - So no value of a report's input (event names, property keys, filter operands, breakdown keys, cursors, time
//   zones) can become SQL text: the only way to bring it into a statement is `bind`, which sends it as a parameter.
//
// Statements that are a single literal are written with PostgresNIO's own `PostgresQuery` string interpolation,
// which also sends every interpolated value as a parameter.

import PostgresNIO

/// A piece of SQL text that cannot carry input values: made only from string literals, bind placeholders, integers,
/// closed enums' raw values and other `SQLText` (see the top of this file). `SQLBuilder` appends nothing else.
struct SQLText: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    /// The SQL.
    private(set) var sql: String

    /// Text from a string literal (`StaticString`: a computed string does not type-check).
    init(stringLiteral literal: StaticString) {
        sql = literal.description
    }

    /// Text from an interpolated literal whose interpolations are all `SQLText`.
    init(stringInterpolation: StringInterpolation) {
        sql = stringInterpolation.sql
    }

    /// An integer's decimal digits (and sign): a number can never close a quote or start a statement. For numbers
    /// the statement's shape needs as constants (funnel step bits), not for input values, which are bound.
    init(integer: Int) {
        sql = String(integer)
    }

    /// A name or keyword from a closed enum: safe because every case's raw value is written in this target's source,
    /// so the set of texts is fixed at compile time. Use only with enums of SQL names (such as `RollupTable`); an
    /// enum whose raw values come from anywhere else must not be passed here.
    init<Name: RawRepresentable & CaseIterable>(trusted name: Name) where Name.RawValue == String {
        sql = name.rawValue
    }

    /// A placeholder from `SQLBuilder.bind`.
    fileprivate init(placeholder number: Int) {
        sql = "$\(number)"
    }

    /// The SQL, for logs and tests.
    var description: String { sql }

    /// The two pieces one after the other.
    static func + (lhs: SQLText, rhs: SQLText) -> SQLText {
        var result = lhs
        result.sql += rhs.sql
        return result
    }

    /// Appends `rhs` to `lhs`.
    static func += (lhs: inout SQLText, rhs: SQLText) {
        lhs.sql += rhs.sql
    }

    /// Collects the literal pieces and `SQLText` interpolations of an interpolated literal.
    struct StringInterpolation: StringInterpolationProtocol {
        /// The text so far.
        fileprivate var sql = ""

        /// Reserves room for the literal's text.
        init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        /// A literal piece of the source.
        mutating func appendLiteral(_ literal: StaticString) {
            sql += literal.description
        }

        /// Another piece of SQL text (a fragment, or a placeholder from `bind`).
        mutating func appendInterpolation(_ text: SQLText) {
            sql += text.sql
        }
    }
}

extension Sequence<SQLText> {
    /// The pieces one after the other, with `separator` between them.
    func joined(separator: SQLText = "") -> SQLText {
        var result: SQLText = ""
        for (i, piece) in enumerated() {
            if i > 0 { result += separator }
            result += piece
        }
        return result
    }
}

/// Builds one SQL statement from `SQLText` fragments, binding every value as a parameter (`$1`, `$2`, …): report SQL
/// is assembled from the input's shape, never from its values.
struct SQLBuilder {
    /// The statement's text so far.
    private(set) var text = ""
    /// The values bound so far, in placeholder order.
    private(set) var bindings = PostgresBindings()

    /// Appends SQL text (which cannot carry input values; see `SQLText`).
    mutating func append(_ sql: SQLText) { text += sql.sql }

    /// Binds `value` and returns its placeholder.
    mutating func bind<Value: PostgresNonThrowingEncodable>(_ value: Value) -> SQLText {
        bindings.append(value)
        return SQLText(placeholder: bindings.count)
    }

    /// Binds an optional value (SQL NULL for nil).
    mutating func bind<Value: PostgresNonThrowingEncodable>(_ value: Value?) -> SQLText {
        if let value { bindings.append(value) } else { bindings.appendNull() }
        return SQLText(placeholder: bindings.count)
    }

    /// The statement: only `SQLText` reached `text`, so handing it over as SQL is safe (see the top of this file).
    var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: bindings) }
}
