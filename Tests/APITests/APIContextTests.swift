import Accounts
import Tenancy
import Foundation
import GraphQL
import Logging
import PostgresNIO
import Storage
import Testing

@testable import API
import Models
import Analytics

@Suite struct APIContextTests {
    /// Services over a pool that is never started: these tests never reach the database.
    static func services() async throws -> APIServices {
        let logger = Logger(label: "test")
        let client = PostgresClient(
            configuration: .init(host: "127.0.0.1", port: 1, username: "none", password: nil, database: nil, tls: .disable),
            backgroundLogger: logger)
        let database = Database(client: client, logger: logger)
        let sessions = try await SessionTokens(signingKey: SessionKey.random(id: "k"))
        let passwords = try PasswordService(hasher: PasswordHasher(parameters: .init(memoryKiB: 1_024, iterations: 1, parallelism: 1)))
        return APIServices(
            accounts: AccountService(
                database: database, passwords: passwords, sessions: sessions, throttle: LoginThrottle(database: database)),
            members: MemberService(database: database), projects: ProjectService(database: database),
            tokens: APITokenService(database: database), reports: ReportService(database: database),
            dashboards: DashboardService(database: database), authenticator: Authenticator(database: database, sessions: sessions),
            access: TenantAccess(database: database))
    }

    struct Unexpected: Error {}

    @Test func unexpectedErrorsAreMaskedWithTheRequestID() async throws {
        let context = APIContext(
            caller: .anonymous, requestID: "req-7", clientIP: nil, services: try await Self.services(), logger: Logger(label: "test"))
        let masked = context.clientError(Unexpected())
        #expect(masked.code == "INTERNAL")
        #expect(masked.message == "internal error (request req-7)")
        let internalAuth = context.clientError(ServiceError(.internal, "database password is hunter2"))
        #expect(internalAuth.message == "internal error (request req-7)")
    }

    @Test func serviceErrorsKeepCodeMessageAndRetryAfter() async throws {
        let context = APIContext(
            caller: .anonymous, requestID: "r", clientIP: nil, services: try await Self.services(), logger: Logger(label: "test"))
        let limited = context.clientError(ServiceError(.rateLimited, "slow down", retryAfter: 30))
        #expect(limited.code == "RATE_LIMITED")
        #expect(limited.message == "slow down")
        #expect(limited.extensions?["retryAfter"] == .int(30))
        #expect(context.clientError(ServiceError(.notFound, "project not found")).code == "NOT_FOUND")
        #expect(throws: ServiceError.self) { try context.principal() }
        let rejected = APIContext(
            caller: .rejected(ServiceError(.unauthenticated, "session expired")), requestID: "r", clientIP: nil,
            services: try await Self.services(), logger: Logger(label: "test"))
        #expect(throws: ServiceError(.unauthenticated, "session expired")) { try rejected.principal() }
    }

    @Test func aReportTimeoutKeepsItsCodeButOtherStorageErrorsAreMasked() async throws {
        let context = APIContext(
            caller: .anonymous, requestID: "r9", clientIP: nil, services: try await Self.services(), logger: Logger(label: "test"))
        let timeout = context.clientError(StorageError(.timeout, "the report took longer than 60000 ms and was stopped"))
        #expect(timeout.code == "DATABASE_TIMEOUT")
        #expect(timeout.message.contains("60000 ms"))
        let other = context.clientError(StorageError(.migrationFailed, "relation secret_table"))
        #expect(other.code == "INTERNAL")
        #expect(!other.message.contains("secret"))
    }
}
