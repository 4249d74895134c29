#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address as bytes (4 or 16), parsed strictly: what a socket or an `X-Forwarded-For` entry holds.
/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) are read as the IPv4 address.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, network order.
    public let bytes: [UInt8]

    /// Parses `192.0.2.1`, `2001:db8::1` or `[2001:db8::1]`; nil for anything else (ports, zones, names).
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            self.bytes = Array(bytes[12...])
        } else {
            self.bytes = bytes
        }
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// The canonical text form (`inet_ntop`): dotted quad or compressed IPv6.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        var copy = bytes
        let family = isIPv4 ? AF_INET : AF_INET6
        guard inet_ntop(family, &copy, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The key one client is counted under by throttles: the address itself for IPv4, its /64 network for IPv6
    /// (one subscriber usually holds a whole /64, so single IPv6 addresses would be free to change).
    public var throttleKey: String {
        isIPv4 ? description : IPNetwork(address: self, prefixLength: 64).description
    }
}

/// An address range in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`); a single address is its own /32 or /128.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the range (host bits cleared).
    public let address: IPAddress
    /// Leading bits that are fixed.
    public let prefixLength: Int

    /// The network holding `address` with `prefixLength` fixed bits (clamped to the address size).
    public init(address: IPAddress, prefixLength: Int) {
        let length = max(0, min(prefixLength, address.bytes.count * 8))
        self.prefixLength = length
        self.address = IPAddress(bytes: Self.masked(address.bytes, length))
    }

    /// Parses `address` or `address/length`; nil when either part is invalid.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        var length = address.bytes.count * 8
        if parts.count == 2 {
            guard let value = Int(parts[1]) else { return nil }
            // `::ffff:10.0.0.0/104` names an IPv4 range through its mapped form.
            length = address.isIPv4 && parts[0].contains(":") ? value - 96 : value
            guard (0...address.bytes.count * 8).contains(length) else { return nil }
        }
        self.init(address: address, prefixLength: length)
    }

    /// Whether `candidate` lies inside the range (an IPv4 address never lies in an IPv6 range and vice versa).
    public func contains(_ candidate: IPAddress) -> Bool {
        candidate.bytes.count == address.bytes.count && Self.masked(candidate.bytes, prefixLength) == address.bytes
    }

    /// `address/prefixLength`.
    public var description: String { "\(address)/\(prefixLength)" }

    private static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = max(0, min(8, length - index * 8))
            return bits == 8 ? byte : byte & ~(UInt8(0xff) >> bits)
        }
    }
}

extension IPAddress {
    /// An address from raw bytes (4 or 16).
    fileprivate init(bytes: [UInt8]) { self.bytes = bytes }
}
