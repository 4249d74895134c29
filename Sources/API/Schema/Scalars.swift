import Foundation
import GraphQL

/// The custom scalars of `schema.graphql`.
enum APIScalars {
    /// `DateTime`: RFC 3339 strings. Inputs accept any offset and are normalised to UTC; outputs are UTC.
    static let dateTime = GraphQLScalarType(
        name: "DateTime",
        serialize: { value throws(GraphQLError) in
            guard case .string(let text) = value, DateTimeText.parse(text) != nil else {
                throw GraphQLError("DateTime cannot represent value: \(value)")
            }
            return value
        },
        parseValue: { value throws(GraphQLError) in
            guard case .string(let text) = value, let date = DateTimeText.parse(text) else {
                throw GraphQLError("DateTime must be an RFC 3339 string such as 2026-01-31T12:00:00Z, got \(value)")
            }
            return .string(DateTimeText.format(date))
        })

    /// `JSON`: any JSON value, unchanged.
    static let json = GraphQLScalarType.json
}

/// RFC 3339 text for `DateTime` values.
enum DateTimeText {
    /// UTC, with milliseconds when the date has a fraction of a second.
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let whole = date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
        formatter.formatOptions = whole ? [.withInternetDateTime] : [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// Parses RFC 3339 with or without fractional seconds, any offset; nil otherwise.
    static func parse(_ text: String) -> Date? {
        guard text.count <= 64 else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
