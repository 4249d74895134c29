import Foundation
import Ingest
import Testing

@Suite struct EventTimestampTests {
    @Test(arguments: [
        ("2025-07-18T10:00:00Z", 1_752_832_800.0),
        ("2025-07-18T12:00:00+02:00", 1_752_832_800.0),
        ("2025-07-18T10:00:00.250Z", 1_752_832_800.25),
    ])
    func parsesRFC3339WithOffsetsAndFractions(text: String, expected: Double) throws {
        let date = try #require(EventTimestamp.parse(rfc3339: text))
        #expect(abs(date.timeIntervalSince1970 - expected) < 0.001)
    }

    @Test func refusesNonDates() {
        #expect(EventTimestamp.parse(rfc3339: "yesterday") == nil)
        #expect(EventTimestamp.parse(rfc3339: "2025-13-40T10:00:00Z") == nil)
    }

    @Test func epochSecondsAndMillisecondsGiveTheSameInstant() {
        #expect(EventTimestamp.parse(epoch: 1_752_832_800) == EventTimestamp.parse(epoch: 1_752_832_800_000))
        #expect(EventTimestamp.parse(epoch: .nan) == nil)
        #expect(EventTimestamp.parse(epoch: -1) == nil)
    }
}
