import Analytics
import Foundation
import Testing

@Suite struct TimeBucketTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let iso = Date.ISO8601FormatStyle()

    func date(_ text: String) throws -> Date { try iso.parse(text) }

    @Test func daysFollowTheLocalCalendarAcrossDST() throws {
        // 2025-03-30 is 23 hours long in Berlin (clocks go forward at 02:00).
        let buckets = Interval.day.buckets(from: try date("2025-03-29T23:00:00Z"), to: try date("2025-03-31T22:00:00Z"), in: berlin)
        #expect(buckets == [try date("2025-03-29T23:00:00Z"), try date("2025-03-30T22:00:00Z")])
    }

    @Test func weeksStartOnMonday() throws {
        // 2025-07-20 is a Sunday; its week started Monday 2025-07-14 00:00 Berlin (UTC+2).
        let start = Interval.week.bucketStart(of: try date("2025-07-20T12:00:00Z"), in: berlin)
        #expect(start == (try date("2025-07-13T22:00:00Z")))
    }

    @Test func emptyRangeHasNoBuckets() throws {
        let instant = try date("2025-01-01T00:00:00Z")
        #expect(Interval.hour.buckets(from: instant, to: instant, in: berlin).isEmpty)
    }

    @Test func monthsAreCalendarMonths() throws {
        let utc = TimeZone(identifier: "UTC")!
        let buckets = Interval.month.buckets(from: try date("2025-01-15T00:00:00Z"), to: try date("2025-03-01T00:00:00Z"), in: utc)
        #expect(buckets == [try date("2025-01-01T00:00:00Z"), try date("2025-02-01T00:00:00Z")])
    }
}
