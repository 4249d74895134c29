import App
import Foundation
import TestSupport
import Testing

/// The configuration `/graphql` and the sessions read.
@Suite struct GraphQLConfigTests {
    @Test func defaultsAndOverrides() throws {
        let defaults = try AppConfig(values: [:])
        #expect(defaults.jwtKeys == nil)
        #expect(defaults.sessionHours == 12)
        #expect(defaults.loginThrottle.perAccount == 5 && defaults.loginThrottle.perIP == 20 && defaults.loginThrottle.window == 900)
        #expect(defaults.graphQL.introspection == .authenticated)
        #expect(defaults.graphQL.maxDepth == 15 && defaults.graphQL.maxAliases == 30)
        #expect(defaults.graphQL.maxCost == 5_000 && defaults.graphQL.maxTokens == 15_000)
        #expect(defaults.graphQLMaxBodyBytes == 1_048_576)
        #expect(defaults.trustedProxies.networks.isEmpty && defaults.sessionsPerUser == 100)
        #expect(defaults.loginThrottle.maxDelay == 900 && defaults.loginThrottle.signUpsPerHour == 10)

        let secret = Data(repeating: 1, count: 32).base64EncodedString()
        let config = try AppConfig(values: [
            "IV_JWT_KEYS": "new:\(secret), old:\(secret)", "IV_SESSION_HOURS": "2", "IV_GRAPHQL_INTROSPECTION": "false",
            "IV_GRAPHQL_MAX_DEPTH": "7", "IV_GRAPHQL_MAX_COST": "100", "IV_TRUSTED_PROXIES": "10.0.0.0/8, 2001:db8::/32",
            "IV_SCHEMA_PATH": "/etc/iv/schema.graphql",
        ])
        #expect(config.jwtKeys?.signing.id == "new")
        #expect(config.jwtKeys?.verification.map(\.id) == ["old"])
        #expect(config.sessionHours == 2)
        #expect(config.graphQL.introspection == .off)
        #expect(config.graphQL.maxDepth == 7 && config.graphQL.maxCost == 100)
        #expect(config.trustedProxies.networks.map(\.description) == ["10.0.0.0/8", "2001:db8::/32"])
        #expect(config.resolvedSchemaPath() == "/etc/iv/schema.graphql")
    }

    @Test func shortOrMalformedJWTKeysAreRefusedNamingTheSetting() {
        for value in ["k:" + Data(repeating: 1, count: 16).base64EncodedString(), "no-colon", "k:not base64!"] {
            expectConfigRefused(["IV_JWT_KEYS": value], naming: "IV_JWT_KEYS")
        }
    }

    @Test func anExternalDatabaseNeedsJWTKeys() async throws {
        let database = try await TestDatabase.create(migrate: false)
        var config = try GraphQLTestApp.config(database)
        config.jwtKeys = nil
        await #expect(throws: ConfigError.self) { _ = try await buildApplication(config: config, logger: database.logger) }
    }
}
