import Foundation

/// Report interval: buckets align to the project's IANA time zone; weeks start on Monday (docs/reports.md).
public enum Interval: String, Sendable, CaseIterable {
    /// One hour.
    case hour = "HOUR"
    /// One local calendar day.
    case day = "DAY"
    /// Monday 00:00 to the next Monday 00:00, local time.
    case week = "WEEK"
    /// One local calendar month.
    case month = "MONTH"

    /// The start of the bucket holding `date`, in `timeZone`.
    public func bucketStart(of date: Date, in timeZone: TimeZone) -> Date {
        let calendar = Self.calendar(timeZone)
        switch self {
        case .hour: return calendar.dateInterval(of: .hour, for: date)!.start
        case .day: return calendar.startOfDay(for: date)
        case .week: return calendar.dateInterval(of: .weekOfYear, for: date)!.start
        case .month: return calendar.dateInterval(of: .month, for: date)!.start
        }
    }

    /// The start of the bucket after the one starting at `start`.
    public func nextBucket(after start: Date, in timeZone: TimeZone) -> Date {
        let calendar = Self.calendar(timeZone)
        switch self {
        case .hour: return calendar.date(byAdding: .hour, value: 1, to: start)!
        case .day: return calendar.date(byAdding: .day, value: 1, to: start)!
        case .week: return calendar.date(byAdding: .day, value: 7, to: start)!
        case .month: return calendar.date(byAdding: .month, value: 1, to: start)!
        }
    }

    /// Every bucket start overlapping the half-open range `[from, to)`, oldest first (empty when `to <= from`), but
    /// never more than `limit + 1` of them, so a huge range cannot allocate more than that: callers compare the count
    /// with `limit` to refuse it.
    public func buckets(from: Date, to: Date, in timeZone: TimeZone, limit: Int = ReportLimits.maxBuckets) -> [Date] {
        guard from < to else { return [] }
        var starts: [Date] = []
        var current = bucketStart(of: from, in: timeZone)
        while current < to && starts.count <= limit {
            starts.append(current)
            current = nextBucket(after: current, in: timeZone)
        }
        return starts
    }

    /// The calendar every report cuts periods with: ISO 8601 (Monday weeks) in the project's zone.
    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        return calendar
    }
}
