import Foundation

/// Reads an event's `uuid`. Foundation's `UUID(uuidString:)` parses with `sscanf` on Linux, which was about 5% of
/// the server's CPU under ingestion load (docs/benchmarks.md, "Against raw inserts at the same rate").
enum UUIDText {
    /// The UUID `text` spells as 8-4-4-4-12 hexadecimal digits (either case), or what Foundation makes of any other
    /// text (nil: it accepts only that form too). `UUIDTextTests` checks both against each other.
    static func parse(_ text: String) -> UUID? {
        parseHex(text) ?? UUID(uuidString: text)
    }

    /// 36 bytes: hexadecimal digits with `-` at offsets 8, 13, 18 and 23; nil for anything else.
    static func parseHex(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { bytes -> UUID? in
            guard bytes.count == 36 else { return nil }
            var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let parsed = withUnsafeMutableBytes(of: &value) { out -> Bool in
                var index = 0
                for position in 0..<16 {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        guard bytes[index] == UInt8(ascii: "-") else { return false }
                        index += 1
                    }
                    guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return false }
                    out[position] = high << 4 | low
                    index += 2
                }
                return true
            }
            return parsed ? UUID(uuid: value) : nil
        }
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
