import NIOCore

/// One day's events per user in order, as `rollup_timelines` stores them: per event a little-endian int32 user
/// number, int64 microseconds since 1970 and the index of its name in the day's name list (`events`). The index is
/// 2 bytes wide while the day has at most 65,536 names and 4 bytes beyond (`code_bytes`), so no name is ever read
/// back as another.
struct RollupTimeline {
    /// The day's event names in order of first appearance; an event's code is its name's position here.
    private(set) var names: [String] = []
    /// The packed events.
    private(set) var data = ByteBuffer()
    /// The width of a code in `data`: 2, or 4 once the day has more names than 2 bytes number.
    private(set) var codeBytes = 2
    /// Each name's code.
    private var codes: [String: UInt32] = [:]

    /// An empty timeline.
    init() {}

    /// The bytes one event takes with `codeBytes`-wide codes.
    static func stride(codeBytes: Int) -> Int { 12 + codeBytes }

    /// Appends one event; callers append in (user, timestamp, uuid) order.
    mutating func append(user: Int32, micros: Int64, event: String) {
        let code: UInt32
        if let known = codes[event] {
            code = known
        } else {
            code = UInt32(names.count)
            if code > UInt32(UInt16.max) && codeBytes == 2 { widen() }
            codes[event] = code
            names.append(event)
        }
        data.writeInteger(user, endianness: .little)
        data.writeInteger(micros, endianness: .little)
        if codeBytes == 2 {
            data.writeInteger(UInt16(code), endianness: .little)
        } else {
            data.writeInteger(code, endianness: .little)
        }
    }

    /// Rewrites the events so far with 4-byte codes: the day's 65,537th name does not fit in 2.
    private mutating func widen() {
        var wide = ByteBuffer()
        wide.reserveCapacity(data.readableBytes / Self.stride(codeBytes: 2) * Self.stride(codeBytes: 4))
        Self.forEach(in: data, codeBytes: 2) { user, micros, code in
            wide.writeInteger(user, endianness: .little)
            wide.writeInteger(micros, endianness: .little)
            wide.writeInteger(UInt32(code), endianness: .little)
        }
        data = wide
        codeBytes = 4
    }

    /// The events of the names that make up at most 1/`share` of the day's events, per name, in timeline order,
    /// as `rollup_event_timelines` stores them: per event a little-endian int32 user number, int64 microseconds and
    /// int32 position in this timeline. Names in order of first appearance.
    func rareEvents(counts: [String: Int64], total: Int64, share: Int64 = 16) -> [(name: String, data: ByteBuffer, positions: [Int32])] {
        let rare = names.map { (counts[$0] ?? 0) * share <= total }
        guard rare.contains(true) else { return [] }
        var buffers = names.indices.map { rare[$0] ? ByteBuffer() : nil }
        var positions = names.map { _ in [Int32]() }
        var position: Int32 = 0
        Self.forEach(in: data, codeBytes: codeBytes) { user, micros, code in
            defer { position += 1 }
            guard rare[code] else { return }
            buffers[code]!.writeInteger(user, endianness: .little)
            buffers[code]!.writeInteger(micros, endianness: .little)
            buffers[code]!.writeInteger(position, endianness: .little)
            positions[code].append(position)
        }
        return names.indices.compactMap { i in buffers[i].map { (names[i], $0, positions[i]) } }
    }

    /// The bytes of one event in `rollup_event_timelines`.
    static let rareStride = 16

    /// Calls `body` with every event of a stored `rollup_event_timelines` row (user number, microseconds,
    /// position in the day's timeline) in order.
    static func forEachRare(in data: ByteBuffer, _ body: (Int32, Int64, Int32) -> Void) {
        data.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset + rareStride <= bytes.count {
                let user = Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self))
                let micros = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: Int64.self))
                let position = Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 12, as: Int32.self))
                offset += rareStride
                body(user, micros, position)
            }
        }
    }

    /// Calls `body` with every event of stored timeline `data` (user number, microseconds, code) in order.
    static func forEach(in data: ByteBuffer, codeBytes: Int, _ body: (Int32, Int64, Int) -> Void) {
        precondition(codeBytes == 2 || codeBytes == 4, "rollup_timelines.code_bytes is 2 or 4")
        let stride = stride(codeBytes: codeBytes)
        data.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset + stride <= bytes.count {
                let user = Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self))
                let micros = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: Int64.self))
                let code =
                    codeBytes == 2
                    ? Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt16.self)))
                    : Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                offset += stride
                body(user, micros, code)
            }
        }
    }
}
