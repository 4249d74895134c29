import Analytics
import Foundation
import Testing

/// `RelativeRange.resolve`: units cut like report buckets in the project's zone, across daylight-saving changes.
@Suite struct RelativeRangeTests {
    let newYork = TimeZone(identifier: "America/New_York")!
    let iso = Date.ISO8601FormatStyle()

    func date(_ text: String) throws -> Date { try iso.parse(text) }

    @Test func lastHoursAreRealHoursThroughTheRepeatedAutumnHour() throws {
        // New York goes back from 02:00 EDT to 01:00 EST on 2026-11-01: 05:00Z and 06:00Z are both 01:00 local.
        let now = try date("2026-11-01T07:30:00Z")
        let (from, to) = RelativeRange.last(amount: 3, unit: .hour, includeCurrent: true).resolve(now: now, in: newYork)
        #expect(from == (try date("2026-11-01T05:00:00Z")))
        #expect(to == now)
        let whole = RelativeRange.last(amount: 3, unit: .hour, includeCurrent: false).resolve(now: now, in: newYork)
        #expect(whole.from == (try date("2026-11-01T04:00:00Z")))
        #expect(whole.to == (try date("2026-11-01T07:00:00Z")))
    }

    @Test func lastDaysStartAtALocalMidnightAcrossTheChange() throws {
        // Tuesday 2026-11-03 10:00 EST; the last 3 days start at Sunday's midnight, which was still EDT (04:00Z).
        let now = try date("2026-11-03T15:00:00Z")
        let (from, _) = RelativeRange.last(amount: 3, unit: .day, includeCurrent: true).resolve(now: now, in: newYork)
        #expect(from == (try date("2026-11-01T04:00:00Z")))
    }

    @Test func monthsAreCalendarMonths() throws {
        let now = try date("2026-03-15T12:00:00Z")
        let utc = TimeZone(identifier: "UTC")!
        // The two whole months before March: January and February (28 days).
        let whole = RelativeRange.last(amount: 2, unit: .month, includeCurrent: false).resolve(now: now, in: utc)
        #expect(whole.from == (try date("2026-01-01T00:00:00Z")))
        #expect(whole.to == (try date("2026-03-01T00:00:00Z")))
        #expect(RelativeRange.this(.month).resolve(now: now, in: utc).from == (try date("2026-03-01T00:00:00Z")))
    }

    @Test func sinceAndAbsoluteRangesIgnoreTheZone() throws {
        let now = try date("2026-03-15T12:00:00Z")
        let start = try date("2026-03-01T08:00:00Z")
        #expect(RelativeRange.since(start).resolve(now: now, in: newYork) == (start, now))
        #expect(ReportRange.absolute(from: start, to: now).resolve(now: .distantFuture, in: newYork) == (start, now))
    }
}
