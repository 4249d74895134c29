import App
import Foundation
import Testing

/// Expects `AppConfig(values:)` to refuse `values` with a `ConfigError` whose message names `setting`.
func expectConfigRefused(
    _ values: [String: String], naming setting: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        _ = try AppConfig(values: values)
        Issue.record("accepted \(values)", sourceLocation: sourceLocation)
    } catch let error as ConfigError {
        #expect(error.message.contains(setting), sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct AppConfigTests {
    @Test func defaultsMeanEmbeddedPostgresOnLoopback() throws {
        let config = try AppConfig(values: [:])
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.databaseURL == nil)
        #expect(config.dataDirectory == ".insightvault")
        #expect(config.autoMigrate)
        #expect(config.logFormat == .json)
    }

    @Test func timeoutsAreOnByDefaultAndConfigurable() throws {
        let defaults = try AppConfig(values: [:])
        #expect(defaults.idleInTransactionTimeoutMilliseconds == 60_000)
        #expect(defaults.reportStatementTimeoutMilliseconds == 60_000)
        let set = try AppConfig(values: ["IV_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS": "0", "IV_REPORT_STATEMENT_TIMEOUT_MS": "5000"])
        #expect(set.idleInTransactionTimeoutMilliseconds == 0)
        #expect(set.reportStatementTimeoutMilliseconds == 5_000)
        #expect(throws: ConfigError.self) { try AppConfig(values: ["IV_REPORT_STATEMENT_TIMEOUT_MS": "-1"]) }
    }

    @Test func environmentOverridesDotEnv() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iv-env-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dotEnv = directory.appendingPathComponent(".env")
        try "IV_PORT=9000\nexport IV_HOST='0.0.0.0'\n# comment\nLOG_LEVEL=debug # trailing\n".write(
            to: dotEnv, atomically: true, encoding: .utf8)
        let config = try AppConfig.load(environment: ["IV_PORT": "9100"], dotEnvPath: dotEnv.path)
        #expect(config.port == 9100)
        #expect(config.host == "0.0.0.0")
        #expect(config.logLevel == .debug)
    }

    @Test func badValuesNameTheSetting() {
        #expect(throws: ConfigError.self) { try AppConfig(values: ["IV_PORT": "eighty"]) }
        #expect(throws: ConfigError.self) { try AppConfig(values: ["LOG_LEVEL": "loud"]) }
        #expect(throws: ConfigError.self) {
            try AppConfig(values: ["DATABASE_URL": "mysql://x@y/z", "APP_DATABASE_URL": "postgres://a@b/c"])
        }
        expectConfigRefused(["IV_AUTO_MIGRATE": "maybe"], naming: "IV_AUTO_MIGRATE")
    }

    @Test func theBackfillQuietPeriodDefaultsToTwoMinutesAndIsBounded() throws {
        #expect(try AppConfig(values: [:]).rollupBackfillQuietSeconds == 120)
        #expect(try AppConfig(values: ["IV_ROLLUP_BACKFILL_QUIET_SECONDS": "0"]).rollupBackfillQuietSeconds == 0)
        for bad in ["-1", "3601", "soon"] {
            expectConfigRefused(["IV_ROLLUP_BACKFILL_QUIET_SECONDS": bad], naming: "IV_ROLLUP_BACKFILL_QUIET_SECONDS")
        }
    }

    @Test func theEmbeddedBufferCacheIsTheClustersOwnUnlessSetAndIsBounded() throws {
        #expect(try AppConfig(values: [:]).postgresSharedBuffersMB == nil)
        #expect(try AppConfig(values: ["IV_PG_SHARED_BUFFERS_MB": "512"]).postgresSharedBuffersMB == 512)
        for bad in ["15", "1048577", "1GB"] {
            expectConfigRefused(["IV_PG_SHARED_BUFFERS_MB": bad], naming: "IV_PG_SHARED_BUFFERS_MB")
        }
    }

    @Test func aReadReplicaNeedsAnExternalPrimaryAndHasBoundedChecks() throws {
        let primary = [
            "DATABASE_URL": "postgres://o:p@db:5432/iv", "APP_DATABASE_URL": "postgres://a:p@db:5432/iv",
            "READ_DATABASE_URL": "postgres://a:p@replica:5432/iv",
        ]
        let config = try AppConfig(values: primary)
        #expect(config.readDatabaseURL?.host == "replica")
        #expect(config.readMaxLagSeconds == 10 && config.readCheckSeconds == 2)
        let tuned = try AppConfig(values: primary.merging(["IV_READ_MAX_LAG_SECONDS": "0", "IV_READ_CHECK_SECONDS": "5"]) { $1 })
        #expect(tuned.readMaxLagSeconds == 0 && tuned.readCheckSeconds == 5)
        #expect(throws: ConfigError.self) { try AppConfig(values: ["READ_DATABASE_URL": "postgres://a:p@replica:5432/iv"]) }
        #expect(throws: ConfigError.self) { try AppConfig(values: primary.merging(["IV_READ_CHECK_SECONDS": "0"]) { $1 }) }
        #expect(try AppConfig(values: [:]).readDatabaseURL == nil)
    }

    @Test func anExternalDatabaseNeedsTheAppRoleURLToo() {
        #expect(throws: ConfigError.self) { try AppConfig(values: ["DATABASE_URL": "postgres://owner:pw@db.internal:5432/iv"]) }
        #expect(throws: Never.self) {
            try AppConfig(values: [
                "DATABASE_URL": "postgres://owner:pw@db.internal:5432/iv",
                "APP_DATABASE_URL": "postgres://insightvault_app:pw@db.internal:5432/iv",
            ])
        }
    }

    @Test func mailAndLinkSettings() throws {
        let defaults = try AppConfig(values: ["IV_HOST": "0.0.0.0", "IV_PORT": "9000"])
        #expect(defaults.smtp == nil)
        #expect(defaults.resolvedPublicURL() == "http://0.0.0.0:9000")
        let settings = defaults.resolvedAccountEmail()
        #expect(settings.publicURL == "http://0.0.0.0:9000")
        #expect(settings.invitationDays == 7 && settings.maxPendingInvitations == 1_000)
        #expect(settings.verificationHours == 48 && settings.passwordResetMinutes == 60 && settings.tokensPerHour == 3)

        let set = try AppConfig(values: [
            "IV_PUBLIC_URL": "https://analytics.example.com/", "IV_SMTP_URL": "smtp://mailer:p%40ss@smtp.example.com:587",
            "IV_SMTP_FROM": "Analytics <analytics@example.com>", "IV_SMTP_TIMEOUT_SECONDS": "10", "IV_INVITATION_DAYS": "3",
            "IV_MAX_PENDING_INVITATIONS": "50", "IV_EMAIL_VERIFICATION_HOURS": "24", "IV_PASSWORD_RESET_MINUTES": "15",
            "IV_EMAIL_TOKENS_PER_HOUR": "5",
        ])
        let smtp = try #require(set.smtp)
        #expect(smtp.host == "smtp.example.com" && smtp.port == 587 && smtp.username == "mailer" && smtp.password == "p@ss")
        #expect(smtp.fromAddress == "analytics@example.com" && smtp.timeoutSeconds == 10)
        let resolved = set.resolvedAccountEmail()
        #expect(resolved.publicURL == "https://analytics.example.com")
        #expect(resolved.invitationDays == 3 && resolved.maxPendingInvitations == 50)
        #expect(resolved.verificationHours == 24 && resolved.passwordResetMinutes == 15 && resolved.tokensPerHour == 5)

        for bad in [
            ["IV_SMTP_URL": "smtps://smtp.example.com"], ["IV_SMTP_URL": "smtp://h", "IV_SMTP_FROM": "nobody"],
            ["IV_PUBLIC_URL": "ftp://x"], ["IV_INVITATION_DAYS": "0"], ["IV_PASSWORD_RESET_MINUTES": "2"],
            ["IV_EMAIL_TOKENS_PER_HOUR": "0"], ["IV_SMTP_URL": "smtp://h", "IV_SMTP_TIMEOUT_SECONDS": "0"],
        ] {
            #expect(throws: ConfigError.self, "\(bad)") { try AppConfig(values: bad) }
        }
    }
}
