import Foundation
import Testing

@testable import Ingest

@Suite struct UUIDTextTests {
    /// Random UUIDs spelled in lower, upper and mixed case read as Foundation reads them (the demo generator's seeded
    /// SplitMix64: the same strings every run).
    @Test func readsWhatFoundationReads() throws {
        var random = SplitMix64(seed: 20_261_206)
        for round in 0..<3_000 {
            let uuid = random.uuid()
            var text = uuid.uuidString
            if round % 3 == 0 { text = text.lowercased() }
            if round % 3 == 1 {
                text = String(text.map { random.below(2) == 0 ? Character($0.lowercased()) : $0 })
            }
            #expect(UUIDText.parseHex(text) == uuid, "\(text)")
            #expect(UUIDText.parseHex(text) == UUID(uuidString: text), "\(text)")
        }
    }

    /// Text that is not 8-4-4-4-12 hexadecimal digits is refused by both.
    @Test(arguments: [
        "", "not-a-uuid", "0190c9a2-7d4e-7c3b-9f7e-1a2b3c4d5e6", "0190c9a2-7d4e-7c3b-9f7e-1a2b3c4d5e6f0",
        "0190c9a2x7d4e-7c3b-9f7e-1a2b3c4d5e6f", "0190c9a2-7d4e-7c3b-9f7e-1a2b3c4d5e6g", "{0190c9a2-7d4e-7c3b-9f7e-1a2b3c4d}",
        "0190c9a27d4e7c3b9f7e1a2b3c4d5e6f", " 0190c9a2-7d4e-7c3b-9f7e-1a2b3c4d5e6f", "0190c9a2-7d4e-7c3b-9f7e-1a2b3c4d5e6\u{e9}",
    ])
    func refusesOtherText(text: String) {
        #expect(UUIDText.parseHex(text) == nil)
        #expect(UUIDText.parse(text) == nil)
        #expect(UUID(uuidString: text) == nil)
    }
}
