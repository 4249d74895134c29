import App
import Foundation
import Models
import Testing

@Suite struct TrustedProxiesTests {
    let proxies = try! TrustedProxies.parse("10.0.0.0/8, 192.0.2.7 ,fd00::/8, ::1")

    @Test func parsesAddressesAndRangesOfBothFamilies() throws {
        #expect(proxies.networks.map(\.description) == ["10.0.0.0/8", "192.0.2.7/32", "fd00::/8", "::1/128"])
        #expect(try TrustedProxies.parse("").networks.isEmpty)
        #expect(try TrustedProxies.parse("10.1.2.3/8").networks.map(\.description) == ["10.0.0.0/8"])
        #expect(try TrustedProxies.parse("::ffff:10.0.0.0/104").networks.map(\.description) == ["10.0.0.0/8"])
        for bad in ["10.0.0.0/33", "300.1.1.1", "10.0.0.0/", "proxy.local", "fd00::/129", "10.0.0.1:8080", "10.0.0.0/-1"] {
            #expect(throws: ConfigError.self, "\(bad)") { try TrustedProxies.parse("10.0.0.1, \(bad)") }
        }
    }

    @Test func anUntrustedPeerIsTheClientWhateverItForwards() {
        #expect(proxies.clientAddress(peer: "203.0.113.5", forwardedFor: ["1.2.3.4"]) == "203.0.113.5")
        #expect(TrustedProxies().clientAddress(peer: "10.0.0.1", forwardedFor: ["1.2.3.4"]) == "10.0.0.1")
        #expect(proxies.clientAddress(peer: nil, forwardedFor: ["1.2.3.4"]) == nil)
    }

    @Test func behindTrustedProxiesTheRightMostUntrustedHopIsTheClient() {
        // The client wrote "6.6.6.6, 7.7.7.7" itself; the proxies appended the address they saw.
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["6.6.6.6, 7.7.7.7, 198.51.100.20, 10.1.1.1"]) == "198.51.100.20")
        // Several header lines are one list, in order.
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["6.6.6.6", "198.51.100.20", "192.0.2.7"]) == "198.51.100.20")
        #expect(proxies.clientAddress(peer: "::1", forwardedFor: ["2001:db8::5"]) == "2001:db8::5")
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["::ffff:198.51.100.1"]) == "198.51.100.1")
    }

    @Test func malformedOrMissingEntriesEndTheWalkAtTheLastTrustedHop() {
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: []) == "10.0.0.2")
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.20, garbage, 10.9.9.9"]) == "10.9.9.9")
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.20, 1.2.3.4:80"]) == "10.0.0.2")
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.20,,"]) == "10.0.0.2")
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["10.3.3.3, 10.4.4.4"]) == "10.3.3.3")
    }

    @Test func theOldSettingIsAnErrorNamingTheNewOne() {
        expectConfigRefused(["IV_TRUST_PROXY": "true"], naming: "IV_TRUSTED_PROXIES")
        #expect(throws: ConfigError.self) { try AppConfig(values: ["IV_TRUSTED_PROXIES": "10.0.0.0/8, nonsense"]) }
        #expect(throws: ConfigError.self) { try AppConfig(values: ["IV_LOGIN_MAX_DELAY_SECONDS": "0"]) }
        #expect(throws: ConfigError.self) { try AppConfig(values: ["IV_SIGNUP_MAX_PER_ADDRESS_PER_HOUR": "-1"]) }
        #expect(throws: ConfigError.self) { try AppConfig(values: ["IV_SESSIONS_MAX_PER_USER": "0"]) }
    }

    /// Each setting is read on its own (not only when another one happens to be set).
    @Test func throttleAndSessionSettingsAreReadOnTheirOwn() throws {
        let config = try AppConfig(values: [
            "IV_LOGIN_MAX_DELAY_SECONDS": "60", "IV_SIGNUP_MAX_PER_ADDRESS_PER_HOUR": "3", "IV_SESSIONS_MAX_PER_USER": "7",
        ])
        #expect(config.loginThrottle.maxDelay == 60)
        #expect(config.loginThrottle.signUpsPerHour == 3)
        #expect(config.sessionsPerUser == 7)
    }

    @Test func ipv6ClientsAreThrottledPerSlash64() throws {
        #expect(IPAddress("2001:db8:1:2:3:4:5:6")?.throttleKey == "2001:db8:1:2::/64")
        #expect(IPAddress("192.0.2.1")?.throttleKey == "192.0.2.1")
        #expect(IPAddress("[2001:db8::1]")?.description == "2001:db8::1")
        #expect(IPAddress("192.0.2.1%eth0") == nil)
    }
}
