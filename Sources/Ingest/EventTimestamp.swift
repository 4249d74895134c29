import Foundation

/// Parses event timestamps the way the SDKs send them: RFC 3339 text (any offset, optional fraction) or a number of
/// seconds or milliseconds since the epoch (numbers above 10^11 are taken as milliseconds).
public enum EventTimestamp {
    /// The instant `text` names, or nil when it is not an RFC 3339 date-time.
    public static func parse(rfc3339 text: String) -> Date? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let plain = Date.ISO8601FormatStyle()
        if let date = try? withFraction.parse(text) { return date }
        if let date = try? plain.parse(text) { return date }
        return nil
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
