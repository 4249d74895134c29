import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// A parsed `postgres://user:password@host:port/database?sslmode=...` connection string.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// Server host name or address.
    public var host: String
    /// Server TCP port.
    public var port: Int
    /// Role to log in as.
    public var username: String
    /// Password, if any.
    public var password: String?
    /// Database name.
    public var database: String
    /// `true` unless `sslmode=disable` (or `sslmode` is absent and the host is a loopback address).
    public var useTLS: Bool

    /// Builds a URL from its parts.
    public init(host: String, port: Int, username: String, password: String?, database: String, useTLS: Bool = false) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.useTLS = useTLS
    }

    /// Parses a `postgres://` or `postgresql://` URL; throws `INVALID_DATABASE_URL` with the reason.
    public init(string: String) throws {
        guard let components = URLComponents(string: string),
            let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql"
        else {
            throw StorageError(.invalidDatabaseURL, "expected postgres://user:password@host:port/database, got '\(Self.redact(string))'")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StorageError(.invalidDatabaseURL, "database URL has no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StorageError(.invalidDatabaseURL, "database URL has no user name")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw StorageError(.invalidDatabaseURL, "database URL has no database name")
        }
        let sslmode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        switch sslmode {
        case "disable", "allow", "prefer": self.useTLS = false
        case nil: self.useTLS = !["127.0.0.1", "localhost", "::1"].contains(host)
        default: self.useTLS = true
        }
    }

    /// The same server and credentials, another database.
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// The same server and database, other credentials.
    public func with(username: String, password: String?) -> DatabaseURL {
        var copy = self
        copy.username = username
        copy.password = password
        return copy
    }

    /// The URL as text, password included (for handing to other processes, never for logs).
    public var urlString: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.host = host
        components.port = port
        components.user = username
        components.password = password
        components.path = "/" + database
        components.queryItems = [URLQueryItem(name: "sslmode", value: useTLS ? "require" : "disable")]
        return components.string ?? ""
    }

    /// The URL without its password, safe for logs.
    public var description: String { "postgres://\(username)@\(host):\(port)/\(database)" }

    /// A postgres-nio client configuration for this URL.
    /// `idleInTransactionTimeoutMilliseconds` (0: off) becomes the sessions' `idle_in_transaction_session_timeout`:
    /// PostgreSQL ends a session that sits inside a transaction longer, so a stuck request cannot keep a connection.
    /// `applicationName` names the pool's sessions in `pg_stat_activity` (`insightvault`, `insightvault reports`, ...).
    public func clientConfiguration(
        maxConnections: Int = 20, idleInTransactionTimeoutMilliseconds: Int = 60_000, applicationName: String = "insightvault"
    ) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = useTLS ? .require(.makeClientConfiguration()) : .disable
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = maxConnections
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters.append(
            ("idle_in_transaction_session_timeout", String(idleInTransactionTimeoutMilliseconds)))
        configuration.options.additionalStartupParameters.append(("application_name", applicationName))
        return configuration
    }

    /// A single-connection configuration for this URL (migrations, provisioning).
    public func connectionConfiguration() -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = useTLS ? .require(try! .init(configuration: .makeClientConfiguration())) : .disable
        return PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    /// Opens one connection, runs `body` with it and closes it again, also when `body` throws.
    public func withConnection<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await PostgresConnection.connect(configuration: connectionConfiguration(), id: 1, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func redact(_ string: String) -> String {
        guard var components = URLComponents(string: string), components.password != nil else { return string }
        components.password = "***"
        return components.string ?? "<unparseable>"
    }
}
