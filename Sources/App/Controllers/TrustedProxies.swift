import Foundation
import Models

/// The proxies whose `X-Forwarded-For` is believed (`IV_TRUSTED_PROXIES`: comma-separated addresses and CIDR ranges,
/// IPv4 and IPv6), and the walk that finds a request's client address with them.
public struct TrustedProxies: Sendable, Equatable {
    /// Most `X-Forwarded-For` entries looked at, from the right.
    public static let maxHops = 32

    /// The trusted ranges; empty trusts nobody (the client is always the socket's peer).
    public let networks: [IPNetwork]

    /// Trusts `networks`.
    public init(_ networks: [IPNetwork] = []) { self.networks = networks }

    /// Parses `IV_TRUSTED_PROXIES`, e.g. `10.0.0.0/8, 192.0.2.7, fd00::/8`; throws on any entry that is not an
    /// address or a CIDR range.
    public static func parse(_ text: String) throws(ConfigError) -> TrustedProxies {
        var networks: [IPNetwork] = []
        for entry in text.split(separator: ",") {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let network = IPNetwork(trimmed) else {
                throw ConfigError("IV_TRUSTED_PROXIES: '\(trimmed.prefix(60))' is not an IP address or CIDR range (e.g. 10.0.0.0/8)")
            }
            networks.append(network)
        }
        return TrustedProxies(networks)
    }

    /// Whether `address` is one of the trusted proxies.
    public func trusts(_ address: IPAddress) -> Bool { networks.contains { $0.contains(address) } }

    /// The client address of a request from `peer` carrying `forwardedFor` (every `X-Forwarded-For` line, in order):
    /// the peer, unless it is trusted; then the entries are walked from the right, skipping trusted ones, and the
    /// first untrusted entry is the client (the right-most untrusted hop, so entries a client wrote itself at the
    /// left are never believed). A malformed entry ends the walk at the last trusted hop; so does running out of
    /// entries.
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer else { return nil }
        guard let peerAddress = IPAddress(peer) else { return peer }
        guard trusts(peerAddress) else { return peerAddress.description }
        var client = peerAddress
        let entries = forwardedFor.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
        for entry in entries.reversed().prefix(Self.maxHops) {
            guard let hop = IPAddress(entry.trimmingCharacters(in: .whitespaces)) else { break }
            client = hop
            if !trusts(hop) { break }
        }
        return client.description
    }
}
