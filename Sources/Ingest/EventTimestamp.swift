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
}
