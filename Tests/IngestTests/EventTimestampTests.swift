import Foundation
import Ingest
import NIOCore
import PostgresNIO
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

    /// The microseconds PostgresNIO sends for `date` (since 2000-01-01).
    func encodedMicros(_ date: Date) -> Int64? {
        var buffer = ByteBuffer()
        date.encode(into: &buffer, context: .default)
        return buffer.readInteger(as: Int64.self)
    }

    @Test(arguments: [
        (1_764_784_649_222.0, Int64(1_764_784_649_222_000)), (1_764_784_649_001.0, Int64(1_764_784_649_001_000)),
        (1_752_832_800.25, Int64(1_752_832_800_250_000)), (1_000_000_000_123.0, Int64(1_000_000_000_123_000)),
    ])
    func epochTimestampsAreStoredToTheExactMicrosecond(epoch: Double, micros: Int64) throws {
        let date = EventTimestamp.storable(try #require(EventTimestamp.parse(epoch: epoch)))
        #expect(encodedMicros(date) == micros - 946_684_800_000_000)
    }

    @Test func textTimestampsAreStoredToTheExactMicrosecond() throws {
        for text in ["2025-12-03T17:57:29.222Z", "1999-12-31T23:59:59.999Z", "2025-07-18T10:00:00.123456Z"] {
            let date = EventTimestamp.storable(try #require(EventTimestamp.parse(rfc3339: text)))
            let whole = try #require(EventTimestamp.parse(rfc3339: String(text.prefix(19)) + "Z"))
            let fraction = text.dropFirst(20).dropLast()
            let expected = try #require(encodedMicros(whole)) + Int64(fraction.padding(toLength: 6, withPad: "0", startingAt: 0))!
            #expect(encodedMicros(date) == expected, "\(text)")
        }
    }
}
