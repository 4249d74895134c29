import Foundation
@testable import Ingest
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

    /// Foundation's reading of `text`, as `parse(rfc3339:)` did before it had its own for the common form.
    func foundation(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
    }

    /// The common form's own reader gives the instant Foundation gives, to the microsecond stored, for random
    /// date-times 1970-2199 with 0-9 fraction digits and offsets of either sign (the demo generator's seeded SplitMix64:
    /// the same strings every run).
    @Test func theCommonFormIsReadAsFoundationReadsIt() throws {
        var random = SplitMix64(seed: 20_261_206)
        for _ in 0..<5_000 {
            let year = Int.random(in: 1970...2199, using: &random)
            let month = Int.random(in: 1...12, using: &random)
            let day = Int.random(in: 1...28, using: &random)
            var text = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, Int.random(in: 0...23, using: &random),
                Int.random(in: 0...59, using: &random), Int.random(in: 0...59, using: &random))
            let digits = Int.random(in: 0...9, using: &random)
            if digits > 0 {
                text += "." + String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
            }
            let zone = Int.random(in: 0...2, using: &random)
            text +=
                zone == 0
                ? "Z"
                : String(
                    format: "%@%02d:%02d", zone == 1 ? "+" : "-", Int.random(in: 0...14, using: &random),
                    [0, 30, 45].randomElement(using: &random)!)
            let own = try #require(EventTimestamp.parseCommon(text), "\(text)")
            let reference = try #require(foundation(text), "\(text)")
            #expect(encodedMicros(EventTimestamp.storable(own)) == encodedMicros(EventTimestamp.storable(reference)), "\(text)")
        }
    }

    /// What the common form's reader leaves to Foundation (nil): other shapes, impossible dates and times, years
    /// before 1970, more than 9 fraction digits. `parse(rfc3339:)` still reads the forms Foundation accepts.
    @Test func otherFormsAreLeftToFoundation() throws {
        for text in [
            "2025-07-18T10:00:00", "2025-07-18 10:00:00Z", "2025-07-18t10:00:00z", "2025-02-29T10:00:00Z",
            "2024-04-31T10:00:00Z", "2025-07-18T24:00:00Z", "2025-07-18T10:60:00Z", "2025-07-18T10:00:60Z",
            "1969-12-31T23:59:59Z", "2025-07-18T10:00:00.Z", "2025-07-18T10:00:00.1234567890Z",
            "2025-07-18T10:00:00+0200", "2025-07-18T10:00:00+24:00", "2025-07-18T10:00:00Zjunk", "+2025-07-18T10:00:00Z",
        ] {
            #expect(EventTimestamp.parseCommon(text) == nil, "\(text)")
        }
        #expect(EventTimestamp.parseCommon("2024-02-29T23:59:59.5-01:00")?.timeIntervalSince1970 == 1_709_254_799.5)
        #expect(EventTimestamp.parse(rfc3339: "1969-12-31T23:59:59Z")?.timeIntervalSince1970 == -1)
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

extension SplitMix64: RandomNumberGenerator {}
