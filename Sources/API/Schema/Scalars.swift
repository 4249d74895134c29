import Foundation
import GraphQL
import Models

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

/// RFC 3339 text for `DateTime` values. Reports write and check thousands of them (a point per bucket and value), and
/// creating an `ISO8601DateFormatter` costs tens of microseconds, so the canonical forms (UTC, whole seconds or
/// milliseconds: what `format` writes and most clients send) are written and read by hand; anything else goes to the
/// formatter, which defines the meaning (`DateTimeTextTests` checks both give the same answers).
enum DateTimeText {
    /// UTC, with milliseconds when the date has a fraction of a second.
    static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        if seconds == seconds.rounded(.down), seconds >= -30_610_224_000, seconds < 253_402_300_800 {  // whole, years 1000-9999
            return canonical(Int64(seconds))
        }
        return formatterFormat(date)
    }

    /// Parses RFC 3339 with or without fractional seconds, any offset; nil otherwise.
    static func parse(_ text: String) -> Date? {
        guard text.utf8.count <= 64 else { return nil }
        if let seconds = parseCanonical(text) { return Date(timeIntervalSince1970: Double(seconds)) }
        return formatterParse(text)
    }

    /// The formatter's text for `date`.
    static func formatterFormat(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let whole = date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
        formatter.formatOptions = whole ? [.withInternetDateTime] : [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// The formatter's reading of `text`.
    static func formatterParse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for whole seconds since 1970 (days to civil dates as in Howard Hinnant's algorithm).
    private static func canonical(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(second / 3_600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(second / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(second % 60, 2)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whole seconds since 1970 of `YYYY-MM-DDTHH:MM:SSZ` with valid fields (years 1000-9999); nil for any other
    /// text, which the formatter then reads.
    private static func parseCanonical(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == 20, bytes[19] == UInt8(ascii: "Z") else { return nil }
            return DateTimeHead.seconds(bytes, minimumYear: 1000)
        }
    }
}
