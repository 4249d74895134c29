import Foundation
import Testing

@testable import API

/// The hand-written canonical forms of `DateTime` give exactly what `ISO8601DateFormatter` gives.
@Suite struct DateTimeTextTests {
    /// Whole seconds over five centuries, both ways, and leap days.
    @Test func canonicalTextMatchesTheFormatter() {
        var generator = SystemRandomNumberGenerator()
        var seconds: [Int64] = [0, -1, 86_399, 86_400, 951_782_400, 951_868_800, 4_107_542_400, -2_203_891_200]
        for _ in 0..<5_000 { seconds.append(Int64.random(in: -11_644_473_600...16_725_225_600, using: &generator)) }
        for second in seconds {
            let date = Date(timeIntervalSince1970: Double(second))
            let text = DateTimeText.format(date)
            #expect(text == DateTimeText.formatterFormat(date), "\(second)")
            #expect(DateTimeText.parse(text) == DateTimeText.formatterParse(text), "\(text)")
            #expect(DateTimeText.parse(text) == date, "\(text)")
        }
    }

    /// Texts the fast path refuses go to the formatter, which decides.
    @Test func otherTextsAreReadByTheFormatter() {
        let texts = [
            "2026-02-29T00:00:00Z", "2024-02-29T23:59:59Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z",
            "2026-01-01T24:00:00Z", "2026-01-01T12:00:00+02:00", "2026-01-01T12:00:00.123Z", "2026-01-01 12:00:00Z",
            "2026-01-01T12:00:00z", "0999-01-01T00:00:00Z", "2026-01-01T12:00:60Z", "not a date", "",
        ]
        for text in texts { #expect(DateTimeText.parse(text) == DateTimeText.formatterParse(text), "\(text)") }
        let fractional = Date(timeIntervalSince1970: 1_780_000_000.25)
        #expect(DateTimeText.format(fractional) == DateTimeText.formatterFormat(fractional))
    }
}
