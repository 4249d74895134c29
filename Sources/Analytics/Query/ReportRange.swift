import Foundation

/// The range of a report: absolute instants, or relative to the time the report runs (a saved "last 7 days" keeps
/// moving). Both resolve to a half-open `[from, to)` (docs/reports.md, "Relative ranges").
public enum ReportRange: Sendable, Equatable {
    /// `[from, to)` as given.
    case absolute(from: Date, to: Date)
    /// Resolved at `now` in the project's time zone.
    case relative(RelativeRange)

    /// The instants of the range when the report runs at `now` for a project in `timeZone`.
    public func resolve(now: Date, in timeZone: TimeZone) -> (from: Date, to: Date) {
        switch self {
        case .absolute(let from, let to): (from, to)
        case .relative(let range): range.resolve(now: now, in: timeZone)
        }
    }

    /// The period just before `[from, to)` and as long, to compare with: as many local days when both ends are local
    /// midnights (a week across a daylight-saving change is still a week), else as many seconds.
    public static func previousPeriod(from: Date, to: Date, in timeZone: TimeZone) -> (from: Date, to: Date) {
        let midnight = { (date: Date) in Interval.day.bucketStart(of: date, in: timeZone) == date }
        if midnight(from), midnight(to), let days = Interval.calendar(timeZone).dateComponents([.day], from: from, to: to).day {
            return (Interval.day.bucketStart(from, movedBy: -days, in: timeZone), from)
        }
        return (from.addingTimeInterval(-to.timeIntervalSince(from)), from)
    }
}

/// A range relative to now, cut in the project's time zone like report buckets (weeks start on Monday). It always
/// ends at now, except `last` without the current unit, which ends where the current unit starts.
public enum RelativeRange: Sendable, Equatable {
    /// The last `amount` units. With `includeCurrent`, the current unit so far and the `amount - 1` whole units
    /// before it ("the last 7 days" are today and the 6 days before); without, the `amount` whole units before the
    /// current one.
    case last(amount: Int, unit: Interval, includeCurrent: Bool)
    /// The current unit so far: this hour, today, this week, this month.
    case this(Interval)
    /// From an instant up to now.
    case since(Date)

    /// The most units `last` may count (ten years of days; the report's own limits apply to the resolved range).
    public static let maxAmount = 3_660

    /// `[from, to)` at `now` in `timeZone`.
    public func resolve(now: Date, in timeZone: TimeZone) -> (from: Date, to: Date) {
        switch self {
        case .last(let amount, let unit, let includeCurrent):
            let current = unit.bucketStart(of: now, in: timeZone)
            let from = unit.bucketStart(current, movedBy: -(includeCurrent ? amount - 1 : amount), in: timeZone)
            return (from, includeCurrent ? now : current)
        case .this(let unit):
            return (unit.bucketStart(of: now, in: timeZone), now)
        case .since(let start):
            return (start, now)
        }
    }
}

extension Interval {
    /// The start of the bucket `count` buckets after (negative: before) the one starting at `start`: local
    /// midnights stay local midnights across a daylight-saving change.
    public func bucketStart(_ start: Date, movedBy count: Int, in timeZone: TimeZone) -> Date {
        let calendar = Self.calendar(timeZone)
        switch self {
        case .hour: return calendar.date(byAdding: .hour, value: count, to: start)!
        case .day: return calendar.date(byAdding: .day, value: count, to: start)!
        case .week: return calendar.date(byAdding: .day, value: 7 * count, to: start)!
        case .month: return calendar.date(byAdding: .month, value: count, to: start)!
        }
    }
}
