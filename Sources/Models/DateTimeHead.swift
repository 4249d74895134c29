/// The `YYYY-MM-DDTHH:MM:SS` that starts an RFC 3339 date-time, read by hand: the fast paths of ingestion's
/// timestamps (`EventTimestamp.parseCommon`) and the API's `DateTime` scalar (`DateTimeText`) both start with it, and
/// each leaves any text it refuses to Foundation.
public enum DateTimeHead {
    /// Whole seconds since 1970-01-01T00:00:00 (before any offset) of the head of `bytes`, when its first 19 bytes
    /// are `YYYY-MM-DDTHH:MM:SS` with a valid calendar date in a year from `minimumYear`, hour 0-23, minute and
    /// second 0-59; nil otherwise. What follows the head is the caller's.
    public static func seconds(_ bytes: UnsafeBufferPointer<UInt8>, minimumYear: Int) -> Int64? {
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = digits(bytes, from: 0, count: 4), let month = digits(bytes, from: 5, count: 2),
            let day = digits(bytes, from: 8, count: 2), let hour = digits(bytes, from: 11, count: 2),
            let minute = digits(bytes, from: 14, count: 2), let second = digits(bytes, from: 17, count: 2),
            year >= minimumYear, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        return Int64(daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second)
    }

    /// The number `count` decimal digits from `start` of `bytes` spell; nil when one of them is not a digit.
    public static func digits(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            let digit = Int(bytes[index]) &- 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// Days in `month` (1-12) of `year` in the proleptic Gregorian calendar.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to the given civil date (Howard Hinnant's days_from_civil).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
