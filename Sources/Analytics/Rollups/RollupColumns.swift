import Models
import NIOCore

/// A day's property columns as `rollup_columns` stores them (migrations/0016_rollup_columns.sql): per property key,
/// the distinct values of the day (each as its jsonb text) and, for every event of the day's timeline in the
/// timeline's order, the code of its value (0: the event lacks the key; i: it holds `dict[i - 1]`).
struct RollupColumns {
    /// One key's column while it is built.
    struct Column {
        /// The distinct values in order of first appearance.
        var dict: [String] = []
        /// Each value's code.
        var codes: [String: UInt32] = [:]
        /// Per event, its code; events after the last one holding the key are missing (implicitly 0).
        var events: [UInt32] = []
    }

    /// A key with more distinct values than this on a day is not kept as a column that day (`column_overflow`).
    let maxValues: Int
    /// The columns so far.
    private(set) var columns: [String: Column] = [:]
    /// Keys that went over `maxValues`.
    private(set) var overflow: Set<String> = []
    /// Events appended so far.
    private(set) var count = 0

    /// An empty set of columns for one day.
    init(maxValues: Int) { self.maxValues = maxValues }

    /// Appends the next timeline event with its `properties` as PostgreSQL's jsonb text (a JSON object).
    mutating func append(properties: String) {
        let index = count
        count += 1
        JSONObjectSlices.forEach(in: properties) { key, value in
            guard !overflow.contains(key) else { return }
            var column = columns.removeValue(forKey: key) ?? Column()
            let code: UInt32
            if let known = column.codes[value] {
                code = known
            } else {
                guard column.dict.count < maxValues else {
                    overflow.insert(key)
                    return
                }
                column.dict.append(value)
                code = UInt32(column.dict.count)
                column.codes[value] = code
            }
            if column.events.count < index { column.events.append(contentsOf: repeatElement(0, count: index - column.events.count)) }
            column.events.append(code)
            columns[key] = column
        }
    }

    /// The columns to store: key, values, packed codes (one per event) and their width in bytes.
    func packed() -> [(key: String, dict: [String], codes: ByteBuffer, codeBytes: Int16)] {
        columns.sorted { $0.key < $1.key }.map { key, column in
            let width = Self.width(forValues: column.dict.count)
            let codes = Self.pack((0..<count).lazy.map { $0 < column.events.count ? column.events[$0] : 0 }, count: count, width: width)
            return (key, column.dict, codes, Int16(width))
        }
    }

    /// Per key, the codes of the events at `positions` (in that order), packed as `packed()` packs them; keys none
    /// of those events has are left out (`rollup_event_columns`).
    func gathered(at positions: [Int32]) -> [(key: String, codes: ByteBuffer, codeBytes: Int16)] {
        columns.sorted { $0.key < $1.key }.compactMap { key, column in
            let codes = positions.map { Int($0) < column.events.count ? column.events[Int($0)] : 0 }
            guard codes.contains(where: { $0 != 0 }) else { return nil }
            let width = Self.width(forValues: column.dict.count)
            return (key, Self.pack(codes, count: codes.count, width: width), Int16(width))
        }
    }

    /// `count` codes, each `width` bytes (little-endian), as `rollup_columns.codes` stores them.
    static func pack(_ codes: some Sequence<UInt32>, count: Int, width: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(count * width)
        for code in codes {
            switch width {
            case 1: buffer.writeInteger(UInt8(code))
            case 2: buffer.writeInteger(UInt16(code), endianness: .little)
            default: buffer.writeInteger(code, endianness: .little)
            }
        }
        return buffer
    }

    /// Bytes per code for a column of `values` distinct values (code 0 is "missing").
    static func width(forValues values: Int) -> Int {
        values < Int(UInt8.max) ? 1 : values < Int(UInt16.max) ? 2 : 4
    }

    /// The codes of a stored column.
    static func unpack(_ data: ByteBuffer, codeBytes: Int) -> [UInt32] {
        precondition([1, 2, 4].contains(codeBytes), "rollup_columns.code_bytes is 1, 2 or 4")
        return data.withUnsafeReadableBytes { bytes in
            let count = bytes.count / codeBytes
            return [UInt32](unsafeUninitializedCapacity: count) { out, initialized in
                switch codeBytes {
                case 1:
                    for i in 0..<count { out[i] = UInt32(bytes[i]) }
                case 2:
                    for i in 0..<count {
                        out[i] = UInt32(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
                    }
                default:
                    for i in 0..<count { out[i] = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) }
                }
                initialized = count
            }
        }
    }
}

/// Splits the text of a JSON object (as PostgreSQL prints jsonb) into its members without re-serialising: each key
/// (unescaped) with its value's exact text, so the stored value reads back as the same jsonb.
enum JSONObjectSlices {
    /// Calls `body` with each member of the object `text`; anything that is not an object gives no members.
    static func forEach(in text: String, _ body: (String, String) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var i = 0
            func skipSpace() {
                while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
            }
            /// Moves past the string starting at `i` (a quote); returns whether it held an escape.
            func skipString() -> Bool {
                var escaped = false
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") {
                        escaped = true
                        i += 1
                    }
                    i += 1
                }
                i += 1
                return escaped
            }
            func skipValue() {
                switch bytes[i] {
                case UInt8(ascii: "\""):
                    _ = skipString()
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    var depth = 0
                    while i < bytes.count {
                        switch bytes[i] {
                        case UInt8(ascii: "\""):
                            _ = skipString()
                            continue
                        case UInt8(ascii: "{"), UInt8(ascii: "["):
                            depth += 1
                        case UInt8(ascii: "}"), UInt8(ascii: "]"):
                            depth -= 1
                        default:
                            break
                        }
                        i += 1
                        if depth == 0 { return }
                    }
                default:
                    while i < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[i]),
                        ![0x20, 0x09, 0x0A, 0x0D].contains(bytes[i])
                    {
                        i += 1
                    }
                }
            }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return }
            i += 1
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return }
                let keyStart = i
                let escaped = skipString()
                let keyText = String(decoding: UnsafeBufferPointer(rebasing: bytes[keyStart..<i]), as: UTF8.self)
                let key =
                    escaped
                    ? ((try? JSON.parse(bytes: Array(keyText.utf8)))?.stringValue ?? keyText) : String(keyText.dropFirst().dropLast())
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return }
                i += 1
                skipSpace()
                guard i < bytes.count else { return }
                let valueStart = i
                skipValue()
                body(key, String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<min(i, bytes.count)]), as: UTF8.self))
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else { return }
                i += 1
            }
        }
    }
}
