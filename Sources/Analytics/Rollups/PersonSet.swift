import Foundation
import NIOCore

/// A set of users: a bitmap over the dense user numbers of `rollup_person_index`, plus user keys that have no number
/// yet (users first seen on days not rolled up). Union and intersection are exact.
struct PersonSet: Sendable {
    /// Bit `i` set: user number `i` is in the set.
    var bits: [UInt64] = []
    /// User keys without a number.
    var extra: Set<String> = []

    /// The number of users.
    var count: Int { bits.reduce(0) { $0 + $1.nonzeroBitCount } + extra.count }

    /// Adds user number `index`.
    mutating func insert(_ index: Int) {
        let word = index >> 6
        if word >= bits.count { bits += Array(repeating: 0, count: word - bits.count + 1) }
        bits[word] |= 1 << UInt64(index & 63)
    }

    /// Adds every user of `other`.
    mutating func formUnion(_ other: PersonSet) {
        if other.bits.count > bits.count { bits += Array(repeating: 0, count: other.bits.count - bits.count) }
        other.bits.withUnsafeBufferPointer { theirs in
            bits.withUnsafeMutableBufferPointer { ours in
                for i in 0..<theirs.count { ours[i] |= theirs[i] }
            }
        }
        if !other.extra.isEmpty { extra.formUnion(other.extra) }
    }

    /// The users in both sets.
    func intersection(_ other: PersonSet) -> PersonSet {
        let shared = min(bits.count, other.bits.count)
        var result = PersonSet()
        result.bits = (0..<shared).map { bits[$0] & other.bits[$0] }
        result.extra = extra.intersection(other.extra)
        return result
    }

    /// The users of this set that are not in `other`.
    func subtracting(_ other: PersonSet) -> PersonSet {
        var result = self
        for i in 0..<min(bits.count, other.bits.count) { result.bits[i] &= ~other.bits[i] }
        result.extra.subtract(other.extra)
        return result
    }

    /// The users in any of `sets`.
    static func union(_ sets: some Sequence<PersonSet>) -> PersonSet {
        var result = PersonSet()
        for set in sets { result.formUnion(set) }
        return result
    }

    /// The bitmap as stored in `rollup_days.person_bits`: little-endian 64-bit words, trailing zero words dropped.
    var storedBits: ByteBuffer {
        var end = bits.count
        while end > 0, bits[end - 1] == 0 { end -= 1 }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(end * 8)
        for word in bits[0..<end] { buffer.writeInteger(word, endianness: .little) }
        return buffer
    }

    /// Reads `storedBits`.
    init(stored buffer: ByteBuffer) {
        var buffer = buffer
        bits.reserveCapacity(buffer.readableBytes / 8)
        while let word = buffer.readInteger(endianness: .little, as: UInt64.self) { bits.append(word) }
    }

    /// The empty set.
    init() {}
}

/// A local calendar day as a day number (days since 1970-01-01), the way rollup tables key them.
struct LocalDay: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01.
    let number: Int32

    /// Earlier days first.
    static func < (a: LocalDay, b: LocalDay) -> Bool { a.number < b.number }

    /// The local day holding `date` in `calendar`'s zone.
    init(_ date: Date, _ calendar: Calendar) {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let midnight = utc.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day))!
        number = Int32((midnight.timeIntervalSince1970 / 86_400).rounded())
    }

    /// The day with this number.
    init(number: Int32) { self.number = number }
}
