import Foundation
import Models
import Testing

@testable import Analytics

/// The limits that bound one report's work and answer, checked before buckets are built or SQL runs.
@Suite struct ReportLimitsTests {
    static let y2000 = Date(timeIntervalSince1970: 946_684_800)
    static let y9999 = Date(timeIntervalSince1970: 253_370_764_800)

    @Test func aRangeOfCenturiesIsRefusedByArithmeticBeforeAnyBucketIsBuilt() {
        for interval in Interval.allCases {
            #expect(throws: ServiceError.self, "\(interval)") {
                try ReportLimits.checkBucketCount(interval, from: Self.y2000, to: Self.y9999, what: "buckets")
            }
        }
        // A full 5,000 of each passes (hours are at most 2 h and months at most 31 days + 2 h long in the bound).
        let hours = Self.y2000.addingTimeInterval(5_000 * 3_600)
        #expect(throws: Never.self) { try ReportLimits.checkBucketCount(.hour, from: Self.y2000, to: hours, what: "buckets") }
    }

    @Test func bucketListsStopOneAfterTheLimit() {
        let utc = TimeZone(identifier: "UTC")!
        #expect(Interval.hour.buckets(from: Self.y2000, to: Self.y9999, in: utc, limit: 10).count == 11)
        #expect(Interval.day.buckets(from: Self.y2000, to: Self.y2000.addingTimeInterval(3 * 86_400), in: utc).count == 3)
    }

    @Test func aThreeHundredYearHourlyTrendIsABadUserInput() {
        let query = TrendsQuery(
            series: [.init(event: "view", math: .total)], from: Self.y2000, to: Self.y2000.addingTimeInterval(300 * 365 * 86_400),
            interval: .hour)
        #expect(throws: ServiceError.badInput("the range has more than 5000 buckets; at most 5000")) {
            _ = try Trends.buckets(query, in: TimeZone(identifier: "UTC")!)
        }
    }

    @Test func answersOverThePointCapAreRefused() throws {
        let to = Self.y2000.addingTimeInterval(30 * 86_400)
        var query = TrendsQuery(
            series: Array(repeating: .init(event: "view", math: .total), count: 20), from: Self.y2000, to: to, interval: .day,
            breakdown: "country", breakdownLimit: 1_000)
        // 20 series × 1,000 values × 30 days = 600,000 points.
        #expect(throws: ServiceError.self) { _ = try Trends.buckets(query, in: TimeZone(identifier: "UTC")!) }
        query.breakdownLimit = 800  // 480,000 points
        #expect(try Trends.buckets(query, in: TimeZone(identifier: "UTC")!).count == 30)
        query.breakdown = nil
        query.breakdownLimit = 1_000  // without a breakdown the limit does not multiply
        #expect(try Trends.buckets(query, in: TimeZone(identifier: "UTC")!).count == 30)
    }
}
