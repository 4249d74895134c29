import Foundation
import Models

/// Parses event timestamps the way the SDKs send them: RFC 3339 text (any offset, optional fraction) or a number of
/// seconds or milliseconds since the epoch (numbers above 10^11 are taken as milliseconds).
public enum EventTimestamp {
    /// The instant `text` names, or nil when it is not an RFC 3339 date-time. The form SDKs send
    /// (`2025-07-18T10:00:00.250Z`, `+02:00`) is read by `parseCommon`; anything else goes to Foundation's ISO 8601
    /// parser, which was a tenth of the server's CPU under ingestion load when it read every timestamp
    /// (docs/benchmarks.md, "Against raw inserts at the same rate").
    public static func parse(rfc3339 text: String) -> Date? {
        if let date = parseCommon(text) { return date }
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let plain = Date.ISO8601FormatStyle()
        if let date = try? withFraction.parse(text) { return date }
        if let date = try? plain.parse(text) { return date }
        return nil
    }

    /// `YYYY-MM-DDTHH:MM:SS`, then an optional `.` and 1 to 9 digits, then `Z` or `+HH:MM` / `-HH:MM`, with a valid
    /// calendar date (years 1970-9999), hour, minute and second (0-59); nil for anything else, which
    /// `parse(rfc3339:)` leaves to Foundation. `EventTimestampTests` checks that both give the same instant.
    static func parseCommon(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            let count = bytes.count
            guard count >= 20, count <= 35, let head = DateTimeHead.seconds(bytes, minimumYear: 1970) else { return nil }
            var index = 19
            var fraction = 0.0
            if bytes[index] == UInt8(ascii: ".") {
                let start = index + 1
                index = start
                while index < count, index - start < 10, (48...57).contains(bytes[index]) { index += 1 }
                let digits = index - start
                guard digits >= 1, digits <= 9, let value = DateTimeHead.digits(bytes, from: start, count: digits) else {
                    return nil
                }
                fraction = Double(value) / pow(10, Double(digits))
            }
            var offset = 0
            if index == count - 1, bytes[index] == UInt8(ascii: "Z") {
                offset = 0
            } else if index == count - 6, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
                bytes[index + 3] == UInt8(ascii: ":"), let hours = DateTimeHead.digits(bytes, from: index + 1, count: 2),
                let minutes = DateTimeHead.digits(bytes, from: index + 4, count: 2), hours <= 23, minutes <= 59
            {
                offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
            // Counted from 2001 as Date holds it: a Double of seconds since 1970 plus the fraction loses the
            // microsecond for dates past about 2100.
            return Date(timeIntervalSinceReferenceDate: Double(head - Int64(offset) - 978_307_200) + fraction)
        }
    }

    /// The instant an epoch number names: seconds, or milliseconds when above 10^11 (year 5138 in seconds).
    public static func parse(epoch value: Double) -> Date? {
        guard value.isFinite, value >= 0 else { return nil }
        return Date(timeIntervalSince1970: value > 1e11 ? value / 1_000 : value)
    }

    /// PostgreSQL's epoch (2000-01-01), from which PostgresNIO counts the microseconds it sends.
    private static let postgresEpoch = Date(timeIntervalSince1970: 946_684_800)

    /// `date` rounded to the nearest microsecond (PostgreSQL's precision), held half a microsecond away from zero
    /// (the writer stores every event's timestamp this way, whatever made it: SDK formats, native events, seed-demo)
    /// so that PostgresNIO's encoding, which truncates its floating-point product, stores exactly that microsecond:
    /// 1764784649222 ms is stored as .222000, not .221999.
    public static func storable(_ date: Date) -> Date {
        let micros = (date.timeIntervalSince(postgresEpoch) * 1_000_000).rounded()
        return Date(timeInterval: (micros + (micros < 0 ? -0.5 : 0.5)) / 1_000_000, since: postgresEpoch)
    }
}
