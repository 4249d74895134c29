import Foundation

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
            guard count >= 20, count <= 35 else { return nil }
            func number(_ start: Int, _ length: Int) -> Int? {
                var value = 0
                for index in start..<(start + length) {
                    let digit = Int(bytes[index]) &- 48
                    guard digit >= 0, digit <= 9 else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
                bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
                let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
                year >= 1970, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
                hour <= 23, minute <= 59, second <= 59
            else { return nil }
            var index = 19
            var fraction = 0.0
            if bytes[index] == UInt8(ascii: ".") {
                let start = index + 1
                index = start
                while index < count, index - start < 10, (48...57).contains(bytes[index]) { index += 1 }
                let digits = index - start
                guard digits >= 1, digits <= 9, let value = number(start, digits) else { return nil }
                fraction = Double(value) / pow(10, Double(digits))
            }
            var offset = 0
            if index == count - 1, bytes[index] == UInt8(ascii: "Z") {
                offset = 0
            } else if index == count - 6, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
                bytes[index + 3] == UInt8(ascii: ":"), let hours = number(index + 1, 2), let minutes = number(index + 4, 2),
                hours <= 23, minutes <= 59
            {
                offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
            let seconds =
                daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60
                + second - offset
            // Counted from 2001 as Date holds it: a Double of seconds since 1970 plus the fraction loses the
            // microsecond for dates past about 2100.
            return Date(timeIntervalSinceReferenceDate: Double(seconds - 978_307_200) + fraction)
        }
    }

    /// Days in `month` (1-12) of `year` in the proleptic Gregorian calendar.
    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to the given civil date (Howard Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
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
